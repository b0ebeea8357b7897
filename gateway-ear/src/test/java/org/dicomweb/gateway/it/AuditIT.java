package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The audit trail (docs/security.md, "Audit trail"): searches by the sample patients' names and IDs (over DIMSE and
 * through the DICOMweb proxy), a study retrieval, a STOW-RS, bad requests and a CORS preflight each leave one record
 * in dicomweb-audit.log with what the client saw (status, bytes, instances, matches, the query), and none of those names and
 * IDs reaches server.log, nor do the records.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditIT extends DeployedGatewayAndPeers {

    private static final Path LOG_DIR = Path.of(System.getProperty("jboss.home"), "standalone", "log");
    private static final Path AUDIT_LOG = LOG_DIR.resolve("dicomweb-audit.log");
    private static final Path SERVER_LOG = LOG_DIR.resolve("server.log");
    private static final String BOUNDARY = "audit-it-boundary";
    private static final String ANY_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path work;

    @Test
    void everyRequestIsAuditedAndNoPatientNameOrIdReachesTheServerLog() throws Exception {
        long auditStart = size(AUDIT_LOG);
        long serverStart = size(SERVER_LOG);
        String study = SampleStudies.studies().get(0);
        Path sample = SampleStudies.ROOT.resolve(study).resolve(SampleStudies.series(study).get(0))
                .resolve(SampleStudies.instances(study, SampleStudies.series(study).get(0)).get(0) + ".dcm");
        String name = value(sample, "00100010");
        String id = value(sample, "00100020");
        List<Path> generated = generate(2);
        Set<String> secrets = new LinkedHashSet<>(secrets(sample));
        for (Path file : generated) {
            secrets.addAll(secrets(file));
        }

        // QIDO-RS by name on Orthanc, by ID on dcmqrscp
        String byName = "/aets/ORTHANC/studies?PatientName=" + encode(name) + "&includefield=PatientID";
        HttpResponse<String> found = get(byName, "application/dicom+json");
        assertEquals(200, found.statusCode(), found.body());
        int matches = Json.createReader(new StringReader(found.body())).readArray().size();
        String byId = "/aets/DCMQRSCP/series?PatientID=" + encode(id);
        HttpResponse<String> series = get(byId, "application/dicom+json");
        assertEquals(200, series.statusCode(), series.body());
        // through the DICOMweb proxy backend: the upstream's URI carries the query
        String proxied = "/aets/ORTHANC-WEB/instances?PatientID=" + encode(id) + "&PatientName=" + encode(name);
        int proxiedStatus = get(proxied, "application/dicom+json").statusCode();
        assertTrue(proxiedStatus == 200 || proxiedStatus == 204, "a search answered: " + proxiedStatus);

        // WADO-RS of the whole study
        HttpResponse<byte[]> retrieved = CLIENT.send(request("/aets/ORTHANC/studies/" + study)
                .header("Accept", ANY_DICOM).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, retrieved.statusCode());
        int parts = Multipart.parts(retrieved.body(),
                Multipart.boundary(retrieved.headers().firstValue("Content-Type").orElseThrow())).size();
        assertEquals(SampleStudies.instances(study).size(), parts);

        // STOW-RS of two new instances, and a part that is no instance but text naming the patient
        byte[] stowBody = multipart(generated, name + " " + id);
        HttpResponse<String> stored = CLIENT.send(request("/aets/ORTHANC/studies")
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(stowBody)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, stored.statusCode(), stored.body());
        String storedStudy = generated.get(0).getParent().getParent().getFileName().toString();

        // bad requests that carry the patient's name or ID
        String badLimit = "/aets/ORTHANC/studies?PatientName=" + encode(name) + "&limit=many";
        assertEquals(400, get(badLimit, "application/dicom+json").statusCode());
        String badFuzzy = "/aets/DCMQRSCP/studies?PatientID=" + encode(id) + "&fuzzymatching=perhaps";
        assertEquals(400, get(badFuzzy, "application/dicom+json").statusCode());
        String unknownAe = "/aets/NO-SUCH-AE/studies?PatientID=" + encode(id);
        assertEquals(404, get(unknownAe, "application/dicom+json").statusCode());
        String nowhere = "/no-such-resource?PatientName=" + encode(name);
        assertEquals(404, get(nowhere, "application/json").statusCode());

        // a CORS preflight of a search (the origin test-cors.cli allows): answered, nothing searched
        String preflighted = "/aets/DCMQRSCP/studies?PatientID=" + encode(id);
        HttpResponse<String> preflight = CLIENT.send(request(preflighted).header("Origin", "http://127.0.0.1:18180")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode(), preflight.body());

        JsonObject qido = record(auditStart, "GET", byName);
        assertCommon(qido, "QIDO", "ORTHANC", 200, "110112", "E", 0);
        assertEquals(matches, qido.getJsonObject("Request").getInt("matches"));
        assertEquals(found.body().getBytes(StandardCharsets.UTF_8).length,
                qido.getJsonObject("Request").getJsonNumber("bytesOut").longValue());
        assertEquals(byName, query(qido), "the query as sent, base64");
        assertEquals(byId, query(record(auditStart, "GET", byId)));
        assertCommon(record(auditStart, "GET", proxied), "QIDO", "ORTHANC-WEB", proxiedStatus, "110112", "E", 0);

        JsonObject wado = record(auditStart, "GET", "/aets/ORTHANC/studies/" + study);
        assertCommon(wado, "WADO", "ORTHANC", 200, "110104", "R", 0);
        assertEquals(parts, wado.getJsonObject("Request").getInt("instances"));
        assertEquals(retrieved.body().length, wado.getJsonObject("Request").getJsonNumber("bytesOut").longValue(),
                "the bytes the client received");
        assertEquals(List.of(study), studies(wado));

        JsonObject stow = record(auditStart, "POST", "/aets/ORTHANC/studies");
        assertCommon(stow, "STOW", "ORTHANC", 202, "110104", "C", 4);
        assertEquals(2, stow.getJsonObject("Request").getInt("instances"));
        assertEquals(stowBody.length, stow.getJsonObject("Request").getJsonNumber("bytesIn").longValue());
        assertEquals(List.of(storedStudy), studies(stow));

        assertCommon(record(auditStart, "GET", badLimit), "QIDO", "ORTHANC", 400, "110112", "E", 4);
        assertCommon(record(auditStart, "GET", badFuzzy), "QIDO", "DCMQRSCP", 400, "110112", "E", 4);
        assertCommon(record(auditStart, "GET", unknownAe), "QIDO", "NO-SUCH-AE", 404, "110112", "E", 4);
        JsonObject unknown = record(auditStart, "GET", nowhere);
        assertEquals(404, unknown.getJsonObject("Request").getInt("status"));
        assertEquals("UNKNOWN", unknown.getJsonObject("Request").getString("service"));

        JsonObject answered = record(auditStart, "OPTIONS", "/aets/DCMQRSCP/studies");
        assertTrue(answered.getJsonObject("Request").getBoolean("preflight"), answered.toString());
        assertEquals("110100", answered.getJsonObject("EventIdentification").getJsonObject("EventID")
                .getString("csd-code"));
        assertTrue(answered.getJsonArray("ParticipantObjectIdentification").isEmpty(), "no query ran");

        String serverLog = readFrom(SERVER_LOG, serverStart);
        for (String secret : secrets) {
            assertFalse(serverLog.contains(secret),
                    "server.log names '" + secret + "':\n" + excerpt(serverLog, secret));
        }
        assertFalse(serverLog.contains("EventIdentification"), "audit records stay out of server.log");
    }

    private static void assertCommon(JsonObject record, String service, String aet, int status, String eventId,
            String action, int outcome) {
        JsonObject request = record.getJsonObject("Request");
        assertEquals(service, request.getString("service"), record.toString());
        assertEquals(aet, request.getString("aet"), record.toString());
        assertEquals(status, request.getInt("status"), record.toString());
        assertTrue(request.getJsonNumber("durationMs").longValue() >= 0, record.toString());
        JsonObject event = record.getJsonObject("EventIdentification");
        assertEquals(eventId, event.getJsonObject("EventID").getString("csd-code"), record.toString());
        assertEquals(action, event.getString("EventActionCode"), record.toString());
        assertEquals(outcome, event.getInt("EventOutcomeIndicator"), record.toString());
        JsonObject client = record.getJsonArray("ActiveParticipant").getJsonObject(0);
        assertEquals("anonymous", client.getString("UserID"), "mode none: no principal");
        assertTrue(client.getBoolean("UserIsRequestor"));
        assertEquals("127.0.0.1", client.getString("NetworkAccessPointID"));
        assertFalse(record.getJsonObject("AuditSourceIdentification").getString("AuditSourceID").isBlank());
    }

    /** The study UIDs of the record's participant objects. */
    private static List<String> studies(JsonObject record) {
        return record.getJsonArray("ParticipantObjectIdentification").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getJsonObject("ParticipantObjectIDTypeCode").getString("csd-code").equals("110180"))
                .map(o -> o.getString("ParticipantObjectID")).toList();
    }

    /** The decoded ParticipantObjectQuery of a search's record. */
    private static String query(JsonObject record) {
        return recordedQuery(record).orElseThrow(() -> new AssertionError("no query in " + record));
    }

    private static Optional<String> recordedQuery(JsonObject record) {
        return record.getJsonArray("ParticipantObjectIdentification").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.containsKey("ParticipantObjectQuery")).map(o -> new String(Base64.getDecoder()
                        .decode(o.getString("ParticipantObjectQuery")), StandardCharsets.UTF_8))
                .findFirst();
    }

    /**
     * The one record written since {@code from} of the request with this method and path (and query: a search's
     * record has it, the others' only their path), waited for: it is written when the request ends on the server.
     */
    private static JsonObject record(long from, String method, String pathAndQuery) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?'))
                : pathAndQuery;
        return Poll.until(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
            List<JsonObject> matching = new ArrayList<>();
            String written = readFrom(AUDIT_LOG, from);
            // whole lines only: the last may be in the middle of being written
            for (String line : written.substring(0, written.lastIndexOf('\n') + 1).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject record = Json.createReader(new StringReader(line)).readObject(); // every line is JSON
                JsonObject request = record.getJsonObject("Request");
                if (request.getString("method").equals(method) && request.getString("path").equals(path)
                        && recordedQuery(record).map(pathAndQuery::equals).orElse(true)) {
                    matching.add(record);
                }
            }
            assertTrue(matching.size() <= 1, "one record per request: " + matching);
            return matching.isEmpty() ? null : matching.get(0);
        }, () -> "no audit record of " + method + " " + pathAndQuery + " in " + AUDIT_LOG);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(Http.GATEWAY + path)).timeout(Duration.ofSeconds(60));
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        return CLIENT.send(request(path).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A sample value as stored (ASCII samples: one byte a character), without its padding. */
    private static String value(Path file, String tag) throws IOException {
        return new String(SampleValues.value(Files.readAllBytes(file), tag), StandardCharsets.ISO_8859_1).trim();
    }

    /** The patient's ID, whole name, and each name component long enough not to occur by chance. */
    private static List<String> secrets(Path file) throws IOException {
        List<String> secrets = new ArrayList<>(List.of(value(file, "00100020"), value(file, "00100010")));
        for (String component : value(file, "00100010").split("\\^")) {
            if (component.length() >= 4) {
                secrets.add(component);
            }
        }
        return secrets;
    }

    private static List<Path> generate(int instances) throws IOException {
        Path directory = work.resolve("generated");
        TestPeers.run("java", "-cp", "/usr/share/java/pixelmed.jar",
                TestPeers.projectRoot().resolve("scripts/GenerateStudies.java").toString(), directory.toString(), "1",
                "1", String.valueOf(instances));
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static byte[] multipart(List<Path> files, String text) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path file : files) {
            part(body, "application/dicom", Files.readAllBytes(file));
        }
        part(body, "text/plain", text.getBytes(StandardCharsets.UTF_8));
        body.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void part(ByteArrayOutputStream body, String type, byte[] content) throws IOException {
        body.write(("--" + BOUNDARY + "\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    /** What the log got since {@code from}; all of it if it was rotated (it is shorter now). */
    private static String readFrom(Path file, long from) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "r")) {
                long start = log.length() < from ? 0 : from;
                byte[] bytes = new byte[(int) (log.length() - start)];
                log.seek(start);
                log.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String excerpt(String log, String secret) {
        int at = log.indexOf(secret);
        int lineStart = log.lastIndexOf('\n', at) + 1;
        int lineEnd = log.indexOf('\n', at);
        return log.substring(lineStart, lineEnd < 0 ? log.length() : lineEnd);
    }
}
