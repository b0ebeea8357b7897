package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The gateway's meters as Prometheus scrapes them from WildFly's management interface (:9990/prometheus, the micrometer
 * subsystem of gateway.cli): requests made here against the real Orthanc must move the counters by exactly what they
 * did (requests, statuses, body bytes, cache leases), the bytes exchanged with a DICOMweb upstream and an S3 store
 * and the C-STOREs a C-MOVE brings to the Storage SCP must be counted, the pool gauges must be there for every DIMSE
 * AE, and the task gauges must say what the task table says.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MetricsIT extends DeployedGatewayAndPeers {

    private static final String REQUESTS = "dicomweb_gateway_http_requests_seconds_count";
    private static final String RECEIVED = "dicomweb_gateway_http_received_bytes_total";
    private static final String SENT = "dicomweb_gateway_http_sent_bytes_total";
    private static final String BACKEND_SENT = "dicomweb_gateway_backend_sent_bytes_total";
    private static final String BACKEND_RECEIVED = "dicomweb_gateway_backend_received_bytes_total";
    private static final String SCP_STORES = "dicomweb_gateway_scp_stores_total";
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @TempDir
    static Path work;

    @Test
    void requestsBytesAndCacheLeasesMoveByExactlyWhatWasDone() throws IOException {
        List<Path> files = newStudy("metered");
        String study = files.get(0).getParent().getParent().getFileName().toString();
        Stow.Part[] parts = files.stream().map(f -> Stow.Part.dicom(read(f))).toArray(Stow.Part[]::new);
        long uploaded = Stow.body(parts).length;

        Prometheus before = Prometheus.scrape();
        Stow.Answer stored = Stow.post("ORTHANC", parts);
        assertEquals(200, stored.status(), stored.body());
        HttpResponse<byte[]> found = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies?StudyInstanceUID=" + study);
        assertEquals(200, found.statusCode());
        long metadataBytes = 0;
        for (int i = 0; i < 2; i++) { // the first retrieves the study into the cache, the second reads it there
            HttpResponse<byte[]> metadata = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies/" + study + "/metadata");
            assertEquals(200, metadata.statusCode());
            metadataBytes += metadata.body().length;
        }
        String invented = "NO-SUCH-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);
        assertEquals(404, Http.get(Http.GATEWAY + "/aets/" + invented + "/studies").status());
        Prometheus after = settled(before, 5);

        String why = after.gatewayLines();
        assertEquals(5, delta(before, after, REQUESTS), "each request counted once:\n" + why);
        assertEquals(1, delta(before, after, REQUESTS, "service", "stow", "aet", "ORTHANC", "status", "200"), why);
        assertEquals(1, delta(before, after, REQUESTS, "service", "qido", "aet", "ORTHANC", "status", "200"), why);
        assertEquals(2, delta(before, after, REQUESTS, "service", "wado", "aet", "ORTHANC", "status", "200"), why);
        assertEquals(2, delta(before, after, "dicomweb_gateway_http_requests_seconds_bucket", "service", "wado",
                "aet", "ORTHANC", "status", "200", "le", "+Inf"), why);
        assertEquals(1, delta(before, after, REQUESTS, "service", "qido", "aet", "unknown", "status", "404"), why);
        assertTrue(after.samples(REQUESTS, "aet", invented).isEmpty(), "an AE title a client invents is no label");
        assertEquals(1, after.samples(REQUESTS, "service", "wado", "aet", "ORTHANC", "status", "200").size());
        assertEquals("dimse", after.samples(REQUESTS, "service", "wado", "aet", "ORTHANC", "status", "200").get(0)
                .labels().get("backend"));

        assertEquals(uploaded, delta(before, after, RECEIVED, "service", "stow", "aet", "ORTHANC"), why);
        assertEquals(stored.body().getBytes(StandardCharsets.UTF_8).length,
                delta(before, after, SENT, "service", "stow", "aet", "ORTHANC"), why);
        assertEquals(found.body().length, delta(before, after, SENT, "service", "qido", "aet", "ORTHANC"), why);
        assertEquals(metadataBytes, delta(before, after, SENT, "service", "wado", "aet", "ORTHANC"), why);
        assertEquals(0, delta(before, after, RECEIVED, "service", "wado", "aet", "ORTHANC"), why);

        String operations = "dicomweb_gateway_dimse_operations_seconds_count";
        assertEquals(2, delta(before, after, operations, "aet", "ORTHANC", "operation", "C-STORE", "outcome",
                "success"), "a C-STORE per instance:\n" + why);
        assertTrue(delta(before, after, operations, "aet", "ORTHANC", "operation", "C-FIND", "outcome", "success")
                >= 1, why);
        assertEquals(1, delta(before, after, operations, "aet", "ORTHANC", "operation", "C-GET")
                + delta(before, after, operations, "aet", "ORTHANC", "operation", "C-MOVE"),
                "one retrieval into the cache:\n" + why);
        assertEquals(0, delta(before, after, operations, "aet", "ORTHANC", "outcome", "error"), why);
        // The instances went to Orthanc by C-STORE and came back by C-GET: each way at least their data sets' bytes.
        long instanceBytes = files.stream().mapToLong(MetricsIT::size).sum();
        assertTrue(delta(before, after, "dicomweb_gateway_dimse_sent_bytes_total", "aet", "ORTHANC")
                > 0.9 * instanceBytes, why);
        assertTrue(delta(before, after, "dicomweb_gateway_dimse_received_bytes_total", "aet", "ORTHANC")
                > 0.9 * instanceBytes, why);

        String leases = "dicomweb_gateway_cache_requests_total";
        assertEquals(1, delta(before, after, leases, "result", "miss"), why);
        assertEquals(1, delta(before, after, leases, "result", "hit"), why);
        assertTrue(after.sum("dicomweb_gateway_cache_studies") >= 1, why);
        assertTrue(after.sum("dicomweb_gateway_cache_size_bytes") > 0, why);
    }

    @Test
    void backendBytesAndTheStorageScpsCStoresMoveByWhatWasDone() throws IOException {
        List<Path> files = newStudy("backends");
        String study = files.get(0).getParent().getParent().getFileName().toString();
        Stow.Part[] parts = files.stream().map(f -> Stow.Part.dicom(read(f))).toArray(Stow.Part[]::new);
        long instanceBytes = files.stream().mapToLong(MetricsIT::size).sum();
        Stow.Answer intoOrthanc = Stow.post("ORTHANC", parts); // what ORTHANC-WEB and ORTHANC-MOVE then serve
        assertEquals(200, intoOrthanc.status(), intoOrthanc.body());

        Prometheus before = Prometheus.scrape();
        HttpResponse<byte[]> found = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC-WEB/studies?StudyInstanceUID=" + study);
        assertEquals(200, found.statusCode());
        HttpResponse<byte[]> proxied = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC-WEB/studies/" + study, "Accept", ANY);
        assertEquals(200, proxied.statusCode());
        Stow.Answer intoS3 = Stow.post("S3", parts);
        assertEquals(200, intoS3.status(), intoS3.body());
        HttpResponse<byte[]> fromS3 = Http.getBytes(Http.GATEWAY + "/aets/S3/studies/" + study, "Accept", ANY);
        assertEquals(200, fromS3.statusCode());
        HttpResponse<byte[]> moved = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC-MOVE/studies/" + study + "/metadata");
        assertEquals(200, moved.statusCode()); // a new study: not cached, so retrieved by C-MOVE
        Prometheus after = Prometheus.scrape(); // each counter moved before the answer it belongs to was sent

        String why = after.gatewayLines();
        // A proxied answer is the upstream's body passed on (URLs in JSON rewritten to the gateway's): at least
        // the search's matches and the instances came from the upstream; the GETs sent no body.
        assertTrue(delta(before, after, BACKEND_RECEIVED, "aet", "ORTHANC-WEB", "backend", "dicomweb")
                >= 0.9 * found.body().length + 0.9 * instanceBytes, why);
        assertEquals(0, delta(before, after, BACKEND_SENT, "aet", "ORTHANC-WEB"), why);
        // The instances went into the bucket (with the study's index objects) and came out of it again.
        assertTrue(delta(before, after, BACKEND_SENT, "aet", "S3", "backend", "s3") >= 0.9 * instanceBytes, why);
        assertTrue(delta(before, after, BACKEND_RECEIVED, "aet", "S3", "backend", "s3") >= 0.9 * instanceBytes, why);
        assertTrue(after.samples(BACKEND_SENT, "aet", "ORTHANC").isEmpty(), "no backend bytes for a DIMSE AE");

        // Orthanc (calling AE ORTHANC, ORTHANC-MOVE's called AE) sent the two instances to the Storage SCP.
        assertEquals(2, delta(before, after, SCP_STORES), "exactly a C-STORE per instance:\n" + why);
        assertEquals(2, delta(before, after, SCP_STORES, "calling_aet", "ORTHANC", "outcome", "success"), why);
        assertTrue(delta(before, after, "dicomweb_gateway_scp_received_bytes_total", "calling_aet", "ORTHANC")
                > 0.9 * instanceBytes, why);
    }

    @Test
    void everyDimseAeHasItsPoolGauges() {
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?limit=1").status()); // a pooled association
        Prometheus scrape = Prometheus.scrape();
        String associations = "dicomweb_gateway_dimse_pool_associations";
        List<String> dimse = Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream()
                .map(JsonValue::asJsonObject).filter(ae -> ae.getString("backend").equals("dimse"))
                .map(ae -> ae.getString("aet")).toList();
        assertTrue(dimse.contains("ORTHANC") && dimse.contains("DCMQRSCP"), dimse.toString());
        for (String aet : dimse) {
            for (String pool : List.of("query", "fuzzy-query", "store", "retrieve")) {
                for (String state : List.of("open", "busy", "idle")) {
                    assertEquals(1, scrape.samples(associations, "aet", aet, "pool", pool, "state", state).size(),
                            aet + " " + pool + " " + state + ":\n" + scrape.gatewayLines());
                }
                assertEquals(1, scrape.samples("dicomweb_gateway_dimse_pool_waiting", "aet", aet, "pool", pool)
                        .size(), aet + " " + pool);
                assertEquals(scrape.sum(associations, "aet", aet, "pool", pool, "state", "open"),
                        scrape.sum(associations, "aet", aet, "pool", pool, "state", "busy")
                                + scrape.sum(associations, "aet", aet, "pool", pool, "state", "idle"), aet + " " + pool);
            }
        }
        assertTrue(scrape.sum(associations, "aet", "ORTHANC", "pool", "query", "state", "open") >= 1,
                "the search's association stays open in the pool:\n" + scrape.gatewayLines());
        assertFalse(scrape.samples(associations).stream().anyMatch(s -> s.labels().get("aet").equals("S3")),
                "no pool gauges for an AE of another backend");
    }

    @Test
    void theTaskGaugesSayWhatTheTaskTableSays() {
        String taskId = "metrics-" + UUID.randomUUID();
        Prometheus before = Prometheus.scrape();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3",
                SampleStudies.studies().get(0), null), 201);
        assertEquals("COMPLETED", TaskClient.awaitEnd(taskId).getString("state"));
        String created = "dicomweb_gateway_http_requests_seconds_count{service=tasks,status=201}";
        Prometheus after = Poll.until(Duration.ofSeconds(5), Duration.ofMillis(100), () -> {
            Prometheus scrape = Prometheus.scrape();
            return delta(before, scrape, REQUESTS, "service", "tasks", "status", "201") > 0 ? scrape : null;
        }, () -> created + " did not move");
        assertEquals(1, delta(before, after, REQUESTS, "service", "tasks", "aet", "none", "status", "201"),
                after.gatewayLines());

        // Counted every 5 s: within a few counts the gauges show the table as GET /tasks?state= counts it.
        Poll.until(Duration.ofSeconds(30), Duration.ofMillis(500), () -> {
            Prometheus scrape = Prometheus.scrape();
            for (String state : List.of("SCHEDULED", "IN_PROCESS", "COMPLETED", "WARNING", "FAILED", "CANCELED",
                    "SCHEDULED_FOR_RETRY")) {
                List<Prometheus.Sample> gauge = scrape.samples("dicomweb_gateway_tasks", "state",
                        state.toLowerCase(Locale.ROOT));
                assertEquals(1, gauge.size(), state + ":\n" + scrape.gatewayLines());
                if (gauge.get(0).value() != tasksIn(state)) {
                    return null;
                }
            }
            return scrape;
        }, () -> "the task gauges never matched GET /tasks?state=...:\n" + Prometheus.scrape().gatewayLines());
    }

    /**
     * The first scrape that counts {@code requests} more HTTP requests than {@code before}: a request is counted when
     * its exchange completes, which may be just after the client has read the last byte.
     */
    private static Prometheus settled(Prometheus before, int requests) {
        return Poll.until(Duration.ofSeconds(5), Duration.ofMillis(100), () -> {
            Prometheus scrape = Prometheus.scrape();
            return delta(before, scrape, REQUESTS) >= requests ? scrape : null;
        }, () -> "the HTTP meters never counted " + requests + " more requests:\n" + Prometheus.scrape().gatewayLines());
    }

    private static int tasksIn(String state) {
        Http.Reply page = Http.get(Http.GATEWAY + "/tasks?limit=1&state=" + state);
        assertEquals(200, page.status(), page.body());
        return ((JsonObject) page.json()).getInt("total");
    }

    private static double delta(Prometheus before, Prometheus after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    /** A new study (one series of two instances) made by scripts/GenerateStudies.java; its files in order. */
    private static List<Path> newStudy(String name) throws IOException {
        Path directory = work.resolve(name);
        TestPeers.run("java", "-cp", "/usr/share/java/pixelmed.jar",
                TestPeers.projectRoot().resolve("scripts/GenerateStudies.java").toString(), directory.toString(), "1",
                "1", "2");
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
