package org.dicomweb.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The sample set scripts/test.sh loads into both PACS: work/samples/2x2x5/{study}/{series}/{sop}.dcm, i.e. what each
 * PACS must hold, known from the files themselves.
 */
final class SampleStudies {

    static final Path ROOT = TestPeers.projectRoot().resolve("work/samples/2x2x5");

    private SampleStudies() {
    }

    static List<String> studies() {
        return names(ROOT);
    }

    static List<String> series(String study) {
        return names(ROOT.resolve(study));
    }

    static List<String> instances(String study, String series) {
        return names(ROOT.resolve(study).resolve(series)).stream().map(n -> n.replace(".dcm", "")).toList();
    }

    static List<String> instances(String study) {
        return series(study).stream().flatMap(series -> instances(study, series).stream()).sorted().toList();
    }

    private static List<String> names(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("sample set missing: run scripts/test.sh (it loads " + ROOT + ")", e);
        }
    }
}
