package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The AE S3 when its peers fail: S3Proxy stopped or killed mid-request, PostgreSQL (the index) stopped, and the
 * fault AEs of wildfly-config/test-s3-faults.cli (a wrong secret, a missing bucket). Each test restores the peers, and
 * after each the server's S3 spool holds no file and the AE S3 serves as before.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class S3FaultsIT extends DeployedGatewayAndPeers {

    private static final String S3 = Http.GATEWAY + "/aets/S3";
    private static final String ENDPOINT = "http://127.0.0.1:18091";
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    private static final int PROCESSING_FAILURE = 0x0110;
    /** The 500-instance study of scripts/test.sh's samples, stored into S3 once (the index and bucket persist). */
    private static final Path LARGE = TestPeers.projectRoot().resolve("work/samples/1x1x500");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static String largeStudy;
    private static String largeSeries;
    private static List<Path> largeFiles;
    private static S3Bucket bucket;

    @TempDir
    Path work;

    @BeforeAll
    static void storeTheLargeStudyOnce() throws Exception {
        bucket = new S3Bucket();
        try (Stream<Path> files = Files.walk(LARGE)) {
            largeFiles = files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        assertEquals(500, largeFiles.size(), "scripts/test.sh generates " + LARGE);
        largeSeries = largeFiles.get(0).getParent().getFileName().toString();
        largeStudy = largeFiles.get(0).getParent().getParent().getFileName().toString();
        if (indexed(largeStudy).size() != largeFiles.size()) {
            HttpResponse<String> stored = stow(S3, largeFiles).get(300, TimeUnit.SECONDS);
            assertEquals(200, stored.statusCode(), stored.body());
        }
        assertEquals(largeFiles.size(), indexed(largeStudy).size());
    }

    @AfterAll
    static void closeBucket() {
        if (bucket != null) {
            bucket.close();
        }
    }

    /** The peers back (a killed S3Proxy too); no temporary file of the faults left; the AE S3 as it was. */
    @AfterEach
    void restoredWithoutLeaks() throws Exception {
        TestPeers.start("all");
        Path spool = Path.of(System.getProperty("jboss.home"), "standalone", "tmp", "s3");
        List<Path> left = List.of();
        // Files of abandoned fetches are deleted as their GETs end, so give them a moment (bounded).
        for (long deadline = System.nanoTime() + 15_000_000_000L; System.nanoTime() < deadline; Thread.sleep(200)) {
            left = filesUnder(spool);
            if (left.isEmpty()) {
                break;
            }
        }
        assertEquals(List.of(), left, "temporary files left in " + spool);
        Http.Reply verify = Http.get(S3);
        assertEquals(200, verify.status(), verify.body());
        String one = "/studies/" + largeStudy + "/series/" + largeSeries + "/instances/" + sopOf(largeFiles.get(250));
        HttpResponse<byte[]> instance = Http.getBytes(S3 + one, "Accept", ANY);
        assertEquals(200, instance.statusCode(), new String(instance.body(), StandardCharsets.UTF_8));
        assertEquals(1, Multipart.parts(instance.body(),
                Multipart.boundary(instance.headers().firstValue("Content-Type").orElseThrow())).size());
        assertEquals(largeFiles.size(), indexed(largeStudy).size());
    }

    @Test
    void anEndpointDownLeavesSearchesAndFailsRetrievalsAndStoresNamingIt() throws Exception {
        List<Path> newStudy = instances(3, 0);
        String study = studyOf(newStudy.get(0));
        TestPeers.stop("s3proxy");
        try {
            assertEquals(largeFiles.size(), indexed(largeStudy).size(), "QIDO-RS answers from the index");

            assertStoreDown("/studies/" + largeStudy, ANY);

            HttpResponse<String> stored = stow(S3, newStudy).get(120, TimeUnit.SECONDS);
            assertEquals(409, stored.statusCode(), stored.body());
            StowOutcome outcome = StowOutcome.of(stored.body());
            assertEquals(Set.of(), outcome.stored());
            assertEquals(sops(newStudy), outcome.failed().keySet());
            assertEquals(Set.of(PROCESSING_FAILURE), new HashSet<>(outcome.failed().values()));
            List<String> warnings = stored.headers().allValues("Warning");
            assertEquals(3, warnings.size(), "one per failed part: " + warnings);
            for (String warning : warnings) {
                assertTrue(warning.contains("S3 (s3://dicomweb/demo at " + ENDPOINT + "): the upload of demo/"
                        + study + "/"), warning);
            }
        } finally {
            TestPeers.start("s3proxy");
        }
        assertEquals(Set.of(), indexed(study), "nothing of the failed STOW-RS in the index");
        assertEquals(Set.of(), keysOfStudy(study), "nor in the bucket");
    }

    /** As a retrieval: the metadata is read from the store (aggregate or per-instance JSON objects). */
    @Test
    void anEndpointDownFailsMetadataNamingIt() {
        TestPeers.stop("s3proxy");
        try {
            assertStoreDown("/studies/" + largeStudy + "/series/" + largeSeries + "/metadata", "application/dicom+json");
            assertStoreDown("/studies/" + largeStudy + "/metadata", "application/dicom+json");
        } finally {
            TestPeers.start("s3proxy");
        }
    }

    private static void assertStoreDown(String path, String accept) {
        HttpResponse<byte[]> reply = Http.getBytes(S3 + path, "Accept", accept);
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        assertEquals(502, reply.statusCode(), path + ": " + body);
        String reason = reason(body);
        assertTrue(reason.startsWith("S3 (s3://dicomweb/demo at " + ENDPOINT + "): "), path + ": " + reason);
        assertTrue(reason.contains("Connection refused"), path + ": " + reason);
        assertFalse(reason.contains("\n"), "one line: " + reason);
        assertFalse(reply.headers().allValues("Warning").isEmpty(), path + ": the reason in a Warning too");
    }

    /**
     * The client reads slowly (a small socket buffer, a few MB taken), so the gateway is in the middle of the 500
     * instances (it fetches at most request-parallelism ahead) when S3Proxy is killed.
     */
    @Test
    void aStoreKilledDuringAStudyRetrievalCutsTheConnectionWithoutTheClosingDelimiter() throws Exception {
        try (Socket socket = RawHttp.send("GET", "/aets/S3/studies/" + largeStudy, ANY)) {
            InputStream raw = socket.getInputStream();
            String head = RawHttp.head(raw);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertTrue(head.toLowerCase().contains("transfer-encoding: chunked"), head);
            String boundary = Multipart.boundary(head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .findFirst().orElseThrow());
            DelimiterCount parts = new DelimiterCount("--" + boundary);
            InputStream body = RawHttp.chunked(raw);
            byte[] buffer = new byte[16 * 1024];
            long read = 0;
            while (read < 4L * 1024 * 1024) {
                int n = body.read(buffer);
                assertTrue(n > 0, "the body ended after " + read + " bytes");
                parts.scan(buffer, n);
                read += n;
            }
            TestPeers.kill("s3proxy");
            String end;
            try {
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    parts.scan(buffer, n);
                }
                end = "the body ended (its last chunk sent)";
            } catch (IOException cut) {
                end = "the connection was cut (" + cut.getMessage() + ")";
            }
            System.out.println("S3FaultsIT: retrieval after the kill: " + end + " after " + parts.count() + " of "
                    + largeFiles.size() + " part delimiters, closing delimiter: " + parts.closed());
            assertTrue(parts.count() < largeFiles.size(), "cut in the middle, not after the last instance");
            assertFalse(parts.closed(), "no closing delimiter");
            // and no last chunk either: the gateway closes the connection, so no HTTP client takes the body as whole
            assertTrue(end.startsWith("the connection was cut"), end);
        }
    }

    /**
     * Small instances (64 KiB of pixels), many: the kill comes when the bucket holds a tenth of them. Every part is in
     * one of the response's sequences; what it lists stored is in the index and in the bucket (object and JSON);
     * what it lists failed is not in the index (an object of it left in the bucket is reported).
     */
    @Test
    void aStoreKilledDuringAStowLeavesStoredOnlyWhatItReports() throws Exception {
        List<Path> files = instances(300, 128);
        String study = studyOf(files.get(0));
        CompletableFuture<HttpResponse<String>> stowing = stow(S3, files);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (dcmObjects(keysOfStudy(study)) < files.size() / 10) {
            assertFalse(stowing.isDone(), "the STOW-RS ended before the kill: " + (stowing.isDone()
                    ? stowing.get().statusCode() : ""));
            assertTrue(System.nanoTime() < deadline, "the STOW-RS stored too few objects in 60 s");
            Thread.sleep(10);
        }
        TestPeers.kill("s3proxy");
        HttpResponse<String> response = stowing.get(180, TimeUnit.SECONDS);
        TestPeers.start("s3proxy");
        assertEquals(202, response.statusCode(), response.body());
        StowOutcome outcome = StowOutcome.of(response.body());
        Set<String> all = new TreeSet<>(outcome.stored());
        all.addAll(outcome.failed().keySet());
        assertEquals(sops(files), all, "every part in one of the two sequences");
        assertEquals(files.size(), outcome.stored().size() + outcome.failed().size(), "each once");
        assertFalse(outcome.stored().isEmpty() || outcome.failed().isEmpty(), "the kill came in the middle");

        Set<String> indexed = indexed(study);
        Set<String> keys = keysOfStudy(study);
        String series = seriesOf(files.get(0));
        for (String sop : outcome.stored()) {
            assertTrue(indexed.contains(sop), sop + " reported stored, not in the index");
            String key = S3Bucket.DEMO + "/" + study + "/" + series + "/" + sop;
            assertTrue(keys.contains(key + ".dcm") && keys.contains(key + ".json"),
                    sop + " reported stored, its objects not in the bucket");
        }
        Set<String> leftInBucket = new TreeSet<>();
        for (String sop : outcome.failed().keySet()) {
            assertFalse(indexed.contains(sop), sop + " reported failed, yet in the index");
            String key = S3Bucket.DEMO + "/" + study + "/" + series + "/" + sop;
            if (keys.contains(key + ".dcm") || keys.contains(key + ".json")) {
                leftInBucket.add(sop);
            }
        }
        assertEquals(outcome.stored(), indexed, "the index holds exactly what was reported stored");
        System.out.println("S3FaultsIT: STOW-RS killed: " + outcome.stored().size() + " stored, "
                + outcome.failed().size() + " failed, of which " + leftInBucket.size()
                + " left an object in the bucket (not in the index): " + leftInBucket);
    }

    /** The datasource waits at most 5 s for a connection; with the database down, every request fails within that. */
    @Test
    void aDatabaseDownIs503NamingItAndRecoversWithoutRedeploy() throws Exception {
        List<Path> newStudy = instances(2, 0);
        TestPeers.stop("postgres");
        try {
            long start = System.nanoTime();
            Http.Reply search = Http.get(S3 + "/studies?StudyInstanceUID=" + largeStudy);
            long searchMs = (System.nanoTime() - start) / 1_000_000;
            assertDatabaseDown(search.status(), search.body(), "QIDO-RS");

            start = System.nanoTime();
            HttpResponse<byte[]> retrieve = Http.getBytes(S3 + "/studies/" + largeStudy, "Accept", ANY);
            long retrieveMs = (System.nanoTime() - start) / 1_000_000;
            assertDatabaseDown(retrieve.statusCode(), new String(retrieve.body(), StandardCharsets.UTF_8), "WADO-RS");

            start = System.nanoTime();
            HttpResponse<String> store = stow(S3, newStudy).get(60, TimeUnit.SECONDS);
            long storeMs = (System.nanoTime() - start) / 1_000_000;
            assertDatabaseDown(store.statusCode(), store.body(), "STOW-RS");

            Http.Reply verify = Http.get(S3);
            assertDatabaseDown(verify.status(), verify.body(), "/aets/S3");
            Http.Reply ready = Http.get(Http.HEALTH + "/ready");
            assertTrue(Http.readiness(ready).get("S3").startsWith("DOWN: the S3 index's database"), ready.body());
            System.out.println("S3FaultsIT: database down: QIDO-RS failed in " + searchMs + " ms, WADO-RS in "
                    + retrieveMs + " ms, STOW-RS in " + storeMs + " ms");
            for (long ms : new long[] {searchMs, retrieveMs, storeMs}) {
                assertTrue(ms < 10_000, "failed after " + ms + " ms: not bounded by the datasource's timeouts");
            }
        } finally {
            TestPeers.start("postgres");
        }
        assertEquals(largeFiles.size(), indexed(largeStudy).size(), "searches again, without a redeploy");
        HttpResponse<String> store = stow(S3, newStudy).get(60, TimeUnit.SECONDS);
        assertEquals(200, store.statusCode(), store.body());
        assertEquals(sops(newStudy), indexed(studyOf(newStudy.get(0))));
    }

    private static void assertDatabaseDown(int status, String body, String what) {
        assertEquals(503, status, what + ": " + body);
        String reason = reason(body);
        assertTrue(reason.startsWith("the S3 index's database (java:jboss/datasources/DicomwebGatewayDS) "),
                what + ": " + reason);
        assertFalse(reason.contains("\n"), what + ": one line: " + reason);
    }

    /**
     * The fault AEs are verified against the bucket, so /aets and readiness name the store's error; their index is
     * their own (empty: nothing was ever stored through them), so a search answers empty and a retrieval 404 without
     * asking the store, while a STOW-RS, which must reach the store, fails with its error.
     */
    @Test
    void wrongCredentialsAndAMissingBucketAreNamedByVerificationAndReadiness() throws Exception {
        Map<String, String> codes = Map.of("S3-WRONG-KEY", "SignatureDoesNotMatch", "S3-NO-BUCKET", "NoSuchBucket");
        Map<String, String> ready = Http.readiness(Http.get(Http.HEALTH + "/ready"));
        for (Map.Entry<String, String> ae : codes.entrySet()) {
            String aet = ae.getKey();
            String bucketName = aet.equals("S3-NO-BUCKET") ? "no-such-bucket" : "dicomweb";
            String where = aet + " (s3://" + bucketName + "/demo at " + ENDPOINT + "): ";
            Http.Reply verify = Http.get(Http.GATEWAY + "/aets/" + aet);
            assertEquals(502, verify.status(), verify.body());
            String reason = reason(verify.body());
            assertTrue(reason.startsWith(where + "the bucket check failed: "), reason);
            assertTrue(reason.contains(ae.getValue()), "names the store's error code: " + reason);
            assertEquals("DOWN: " + reason, ready.get(aet));

            assertEquals(204, Http.get(Http.GATEWAY + "/aets/" + aet + "/studies?StudyInstanceUID=" + largeStudy)
                    .status(), "its own index is empty");
            assertEquals(404, Http.getBytes(Http.GATEWAY + "/aets/" + aet + "/studies/" + largeStudy, "Accept", ANY)
                    .statusCode(), "nothing listed, so nothing asked of the store");
            List<Path> one = instances(1, 0);
            HttpResponse<String> store = stow(Http.GATEWAY + "/aets/" + aet, one).get(60, TimeUnit.SECONDS);
            assertEquals(409, store.statusCode(), store.body());
            assertTrue(store.headers().allValues("Warning").get(0).contains(ae.getValue()),
                    store.headers().allValues("Warning").toString());
        }
        // Down by design: TASKS-DOWN (wildfly-config/test-tasks.cli), the retrieval tasks' destination nobody listens
        // on, and TLS-PLAIN (test-dicom-tls.cli), TLS towards a PACS that speaks plain TCP.
        ready.forEach((aet, state) -> {
            if (!codes.containsKey(aet) && !Set.of("TASKS-DOWN", "TLS-PLAIN").contains(aet)) {
                assertTrue(state.startsWith("UP"), aet + ": " + state);
            }
        });
    }

    private static String reason(String body) {
        try {
            return Json.createReader(new StringReader(body)).readObject().getString("reason");
        } catch (jakarta.json.JsonException | ClassCastException | NullPointerException e) {
            throw new AssertionError("not an error object with a reason: " + body, e);
        }
    }

    /** The SOP Instance UIDs of a study in the index of the AE S3 (a QIDO-RS instance search). */
    private static Set<String> indexed(String study) {
        Http.Reply reply = Http.get(S3 + "/studies/" + study + "/instances?includefield=00080018");
        if (reply.status() == 204) {
            return Set.of();
        }
        assertEquals(200, reply.status(), reply.body());
        return reply.json().asJsonArray().stream().map(o -> o.asJsonObject().getJsonObject("00080018")
                .getJsonArray("Value").getString(0)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** STOW-RS of the files in one body (its length known, so not chunked). */
    private static CompletableFuture<HttpResponse<String>> stow(String aeUrl, List<Path> files) throws IOException {
        String boundary = "s3-faults-" + TestInstance.newUid();
        List<HttpRequest.BodyPublisher> body = new ArrayList<>();
        for (Path file : files) {
            body.add(HttpRequest.BodyPublishers.ofString("--" + boundary
                    + "\r\nContent-Type: application/dicom\r\n\r\n"));
            body.add(HttpRequest.BodyPublishers.ofFile(file));
            body.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        body.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(aeUrl + "/studies"))
                .timeout(Duration.ofSeconds(300))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.concat(body.toArray(HttpRequest.BodyPublisher[]::new))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code count} new instances of one new study and series, files named {sop}.dcm in {study}/{series}/ under the
     * test's directory; {@code rows} rows of 256 16-bit pixels each (0: no pixel data).
     */
    private List<Path> instances(int count, int rows) throws IOException {
        String study = TestInstance.newUid();
        String series = TestInstance.newUid();
        Path directory = Files.createDirectories(work.resolve(study).resolve(series));
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String sop = TestInstance.newUid();
            TestInstance instance = new TestInstance()
                    .text(0x00080016, "UI", SECONDARY_CAPTURE)
                    .text(0x00080018, "UI", sop)
                    .text(0x00080060, "CS", "OT")
                    .text(0x00100010, "PN", "S3^FAULTS")
                    .text(0x0020000D, "UI", study)
                    .text(0x0020000E, "UI", series)
                    .text(0x00200013, "IS", String.valueOf(i));
            if (rows > 0) {
                instance.us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2").us(0x00280010, rows)
                        .us(0x00280011, 256).us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15)
                        .us(0x00280103, 0).element(0x7FE00010, "OW", new byte[rows * 256 * 2]);
            }
            Path file = directory.resolve(sop + ".dcm");
            Files.write(file, instance.part10(SECONDARY_CAPTURE, sop, TestInstance.EXPLICIT_LE));
            files.add(file);
        }
        return files;
    }

    private static String sopOf(Path file) {
        return file.getFileName().toString().replace(".dcm", "");
    }

    private static String seriesOf(Path file) {
        return file.getParent().getFileName().toString();
    }

    private static String studyOf(Path file) {
        return file.getParent().getParent().getFileName().toString();
    }

    private static Set<String> sops(List<Path> files) {
        return files.stream().map(S3FaultsIT::sopOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys of every object of a study of the AE S3, read from the bucket itself. */
    private static Set<String> keysOfStudy(String study) {
        return new TreeSet<>(bucket.keys(S3Bucket.DEMO + "/" + study + "/"));
    }

    private static long dcmObjects(Set<String> keys) {
        return keys.stream().filter(k -> k.endsWith(".dcm")).count();
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** A STOW-RS response: the SOP Instance UIDs stored, and those failed with their FailureReason. */
    private record StowOutcome(Set<String> stored, Map<String, Integer> failed) {
        static StowOutcome of(String body) {
            JsonObject response = Json.createReader(new StringReader(body)).readObject();
            return new StowOutcome(
                    items(response, "00081199").stream().map(StowOutcome::sop)
                            .collect(Collectors.toCollection(TreeSet::new)),
                    items(response, "00081198").stream().collect(Collectors.toMap(StowOutcome::sop,
                            item -> item.getJsonObject("00081197").getJsonArray("Value").getInt(0))));
        }

        private static List<JsonObject> items(JsonObject response, String tag) {
            JsonObject sequence = response.getJsonObject(tag);
            JsonArray value = sequence == null ? null : sequence.getJsonArray("Value");
            return value == null ? List.of() : value.getValuesAs(JsonObject.class);
        }

        private static String sop(JsonObject item) {
            return item.getJsonObject("00081155").getJsonArray("Value").getString(0);
        }
    }

    /** Counts a multipart body's delimiters as its bytes pass, and whether the last one seen is the closing one. */
    private static final class DelimiterCount {
        private final byte[] delimiter;
        /** The end of what was scanned, where a delimiter (and the two bytes after it) may have begun. */
        private byte[] carry = new byte[0];
        private int count;
        private boolean closed;

        DelimiterCount(String delimiter) {
            this.delimiter = delimiter.getBytes(StandardCharsets.US_ASCII);
        }

        void scan(byte[] bytes, int length) {
            byte[] data = java.util.Arrays.copyOf(carry, carry.length + length);
            System.arraycopy(bytes, 0, data, carry.length, length);
            // a delimiter counts once the two bytes after it (CRLF, or "--" for the closing one) are there
            int last = data.length - delimiter.length - 2;
            for (int at = Multipart.indexOf(data, delimiter, 0); at >= 0 && at <= last;
                    at = Multipart.indexOf(data, delimiter, at + 1)) {
                count++;
                closed = data[at + delimiter.length] == '-' && data[at + delimiter.length + 1] == '-';
            }
            carry = java.util.Arrays.copyOfRange(data, Math.max(0, last + 1), data.length);
        }

        int count() {
            return count;
        }

        boolean closed() {
            return closed;
        }
    }
}
