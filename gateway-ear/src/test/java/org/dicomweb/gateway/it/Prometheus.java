package org.dicomweb.gateway.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of WildFly's Prometheus endpoint (text format 0.0.4), parsed into samples. */
final class Prometheus {

    static final String ENDPOINT = "http://127.0.0.1:9990/prometheus";

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final String text;

    private Prometheus(List<Sample> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    static Prometheus scrape() {
        Http.Reply reply = Http.get(ENDPOINT);
        if (reply.status() != 200) {
            throw new AssertionError(ENDPOINT + " answered " + reply.status() + ": " + reply.body());
        }
        return parse(reply.body());
    }

    static Prometheus parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            if (!sample.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new Prometheus(samples, text);
    }

    /** The samples of {@code name} whose labels include {@code labels} (name, value, ...). */
    List<Sample> samples(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && matches(s, labels)).toList();
    }

    /** The sum of those samples' values: 0 when there are none (a counter not yet registered has counted nothing). */
    double sum(String name, String... labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    private static boolean matches(Sample sample, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The gateway's lines of the scrape, for failure messages. */
    String gatewayLines() {
        return String.join("\n", text.lines().filter(l -> l.contains("dicomweb_gateway_")).toList());
    }
}
