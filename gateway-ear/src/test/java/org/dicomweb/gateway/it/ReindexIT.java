package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
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
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The reindex of the S3 AE against the loopback S3Proxy and PostgreSQL: objects another tool put into the bucket
 * (no index rows, no JSON objects) become searchable and retrievable, an instance whose object was deleted leaves
 * the index, an object that is not DICOM is counted failed without stopping the run, and a second run finds
 * everything unchanged. The bucket is shared with the other ITs, so the counts are checked against a run made
 * first, which brings the index in line with whatever the bucket holds.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ReindexIT extends DeployedGatewayAndPeers {

    private static final String PREFIX = "demo/";
    private static final String JUNK = PREFIX + "reindex-it/not-dicom/junk.dcm";
    private static final String BOUNDARY = "reindex-it-boundary";
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(120);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static S3Bucket s3;

    @TempDir
    static Path work;

    @BeforeAll
    static void peers() {
        s3 = new S3Bucket(); // as another tool would write: the SDK on its own
    }

    @AfterAll
    static void closeClient() {
        if (s3 != null) {
            s3.delete(JUNK);
            s3.close();
        }
    }

    @Test
    void nonS3AndUnknownAesHaveNoReindex() throws Exception {
        HttpResponse<String> dimse = post("/aets/ORTHANC/reindex");
        assertEquals(404, dimse.statusCode());
        assertEquals("AE ORTHANC is served by backend dimse; only S3 AEs have an index",
                json(dimse.body()).getString("reason"));
        assertEquals(404, post("/aets/NO-SUCH-AE/reindex").statusCode());
        assertEquals(404, Http.get(Http.GATEWAY + "/aets/NO-SUCH-AE/reindex").status());
    }

    @Test
    void objectsOfAnotherToolAreIndexedAndRowsOfDeletedObjectsRemoved() throws Exception {
        List<Path> stored = generate("stored", 2);
        List<Path> foreign = generate("foreign", 2);
        assertEquals(200, stow(stored).statusCode(), "the gateway's own instances are stored");
        JsonObject baseline = reindex();
        long dcmObjects = dcmObjectsUnderPrefix();
        assertEquals(dcmObjects, baseline.getJsonNumber("listed").longValue(), "every .dcm under the prefix");

        for (Path file : foreign) {
            s3.put(keyOf(file), Files.readAllBytes(file));
        }
        s3.put(JUNK, "not a DICOM file ".repeat(20).getBytes(StandardCharsets.US_ASCII));
        s3.put(PREFIX + "reindex-it/readme.txt", "ignored".getBytes(StandardCharsets.US_ASCII));
        Path deleted = stored.get(0);
        s3.delete(keyOf(deleted));
        assertTrue(jsonObjectMissing(foreign.get(0)), "another tool writes no JSON objects");

        JsonObject run = reindex();

        long listed = dcmObjectsUnderPrefix();
        assertEquals(dcmObjects + 2 + 1 - 1, listed);
        assertEquals(listed, run.getJsonNumber("listed").longValue());
        assertEquals(2, run.getInt("indexed"), "the two foreign instances: " + run);
        assertEquals(1, run.getInt("failed"), "the junk object: " + run);
        assertEquals(1, run.getInt("removed"), "the row of the deleted object: " + run);
        assertEquals(listed - 3, run.getJsonNumber("unchanged").longValue());
        assertTrue(run.getString("message").contains(JUNK + ": not a DICOM Part 10 file"), run.toString());

        String study = uid(foreign.get(0), 0);
        String series = uid(foreign.get(0), 1);
        JsonArray found = Http.get(Http.GATEWAY + "/aets/S3/studies/" + study + "/instances").json().asJsonArray();
        assertEquals(2, found.size(), "both foreign instances are found by QIDO-RS");
        assertFalse(jsonObjectMissing(foreign.get(0)), "the reindex wrote the JSON object beside the instance");
        String instance = "/aets/S3/studies/" + study + "/series/" + series + "/instances/" + uid(foreign.get(0), 2);
        HttpResponse<byte[]> retrieved = Http.getBytes(Http.GATEWAY + instance,
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, retrieved.statusCode());
        assertTrue(Multipart.indexOf(retrieved.body(), Files.readAllBytes(foreign.get(0)), 0) >= 0,
                "the object is served as the other tool stored it");
        assertEquals(200, Http.get(Http.GATEWAY + instance + "/metadata").status());
        HttpResponse<byte[]> frame = Http.getBytes(Http.GATEWAY + instance + "/frames/1",
                "Accept", "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, frame.statusCode(), "a frame from the layout told from the header");

        JsonArray left = Http.get(Http.GATEWAY + "/aets/S3/studies/" + uid(deleted, 0) + "/instances").json()
                .asJsonArray();
        assertEquals(1, left.size(), "of the study stored through the gateway, only the instance with an object");
        assertFalse(left.toString().contains(uid(deleted, 2)), "the deleted instance is gone from QIDO-RS");

        JsonObject again = reindex();
        assertEquals(0, again.getInt("indexed"), again.toString());
        assertEquals(0, again.getInt("removed"), again.toString());
        assertEquals(1, again.getInt("failed"), again.toString());
        assertEquals(listed - 1, again.getJsonNumber("unchanged").longValue(), "all but the junk: " + again);
    }

    /** Starts a run (202, Location of its status) and follows it until it ends, within the deadline. */
    private static JsonObject reindex() throws Exception {
        HttpResponse<String> started = post("/aets/S3/reindex");
        assertEquals(202, started.statusCode(), started.body());
        assertEquals(Http.GATEWAY + "/aets/S3/reindex", started.headers().firstValue("Location").orElse(""));
        assertEquals("RUNNING", json(started.body()).getString("state"));
        long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
        while (true) {
            Http.Reply reply = Http.get(Http.GATEWAY + "/aets/S3/reindex");
            assertEquals(200, reply.status(), reply.body());
            JsonObject status = reply.json().asJsonObject();
            if (!status.getString("state").equals("RUNNING")) {
                assertEquals("COMPLETED", status.getString("state"), status.toString());
                assertTrue(status.containsKey("finished"), status.toString());
                return status;
            }
            assertTrue(System.nanoTime() < deadline, "the reindex ends within " + RUN_DEADLINE + ": " + status);
            Thread.sleep(200);
        }
    }

    private static long dcmObjectsUnderPrefix() {
        return s3.keys(PREFIX).stream().filter(key -> key.endsWith(".dcm")).count();
    }

    private static boolean jsonObjectMissing(Path file) {
        String key = keyOf(file).replaceAll("\\.dcm$", ".json");
        return s3.get(key).isEmpty();
    }

    /** {@code demo/{study}/{series}/{sop}.dcm}: the generator writes {@code {study}/{series}/{sop}.dcm}. */
    private static String keyOf(Path file) {
        return PREFIX + file.getParent().getParent().getFileName() + "/" + file.getParent().getFileName() + "/"
                + file.getFileName();
    }

    /** The study (0), series (1) or SOP instance (2) UID, from the generator's layout. */
    private static String uid(Path file, int level) {
        return switch (level) {
            case 0 -> file.getParent().getParent().getFileName().toString();
            case 1 -> file.getParent().getFileName().toString();
            default -> file.getFileName().toString().replace(".dcm", "");
        };
    }

    private static List<Path> generate(String name, int instances) throws IOException {
        Path directory = work.resolve(name);
        TestPeers.run("java", "-cp", "/usr/share/java/pixelmed.jar",
                TestPeers.projectRoot().resolve("scripts/GenerateStudies.java").toString(), directory.toString(), "1",
                "1", String.valueOf(instances));
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static HttpResponse<String> stow(List<Path> files) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path file : files) {
            body.write(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(file));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return CLIENT.send(HttpRequest.newBuilder(URI.create(Http.GATEWAY + "/aets/S3/studies"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(Http.GATEWAY + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
