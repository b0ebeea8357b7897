package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** STOW-RS requests to an AE of the gateway: one multipart/related body of the given parts, answered in JSON. */
final class Stow {

    private static final String BOUNDARY = "stow-boundary-7d1f";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Part(String contentType, byte[] body) {
        static Part dicom(byte[] part10) {
            return new Part("application/dicom", part10);
        }
    }

    record Answer(int status, String body, List<String> warnings) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        /** The items of a sequence of the store response (none when it is absent). */
        List<JsonObject> items(String sequenceTag) {
            JsonObject json = json();
            if (!json.containsKey(sequenceTag)) {
                return List.of();
            }
            return json.getJsonObject(sequenceTag).getJsonArray("Value").getValuesAs(JsonObject.class);
        }
    }

    private Stow() {
    }

    static Answer post(String aet, Part... parts) {
        return postAs(null, aet, parts);
    }

    /** As {@link #post}, with {@code Authorization: Bearer <accessToken>} (none when null). */
    static Answer postAs(String accessToken, String aet, Part... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part.body());
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        String url = Http.GATEWAY + "/aets/" + aet + "/studies";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().allValues("Warning"));
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores every study of a sample set (work/samples/...) into {@code aet}, one request per study, and fails unless
     * each is a 200. Idempotent on an AE that overwrites duplicates.
     */
    static void samples(String aet, Path set) {
        try (Stream<Path> studies = Files.list(set)) {
            for (Path study : studies.sorted().toList()) {
                Part[] parts;
                try (Stream<Path> files = Files.walk(study)) {
                    parts = files.filter(f -> f.toString().endsWith(".dcm")).sorted()
                            .map(f -> Part.dicom(read(f))).toArray(Part[]::new);
                }
                Answer answer = post(aet, parts);
                assertEquals(200, answer.status(), aet + ": STOW-RS of " + study + ": " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sample set " + set + " unreadable", e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
