package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The DICOMweb proxy backend: ORTHANC-WEB is the test Orthanc reached through its own DICOMweb, so every answer is
 * compared with ORTHANC (the same PACS by DIMSE), with Orthanc's DICOMweb read directly, and with the sample files.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProxyIT extends DeployedGateway {

    private static final String PROXY = Http.GATEWAY + "/aets/ORTHANC-WEB";
    private static final String ORTHANC_WEB = "http://127.0.0.1:18042/dicom-web";
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The tests that stop or freeze Orthanc restore it themselves (peers.sh cannot start over a frozen one). */
    @AfterEach
    void peersUp() {
        TestPeers.start("all");
    }

    private static JsonArray jsonArray(String url) {
        Http.Reply reply = Http.get(url);
        assertEquals(200, reply.status(), url + ": " + reply.body());
        return reply.json().asJsonArray();
    }

    private static Set<String> values(JsonArray objects, String tag) {
        return objects.stream().map(o -> o.asJsonObject().getJsonObject(tag).getJsonArray("Value").getString(0))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void listedWithItsUrlAndNoCredentialsAndVerifiedByASearch() {
        JsonObject ae = Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("aet").equals("ORTHANC-WEB")).findFirst().orElseThrow();
        assertEquals("dicomweb", ae.getString("backend"));
        assertEquals(ORTHANC_WEB, ae.getString("url"));
        assertEquals("none", ae.getString("auth"));
        Http.Reply echo = Http.get(PROXY);
        assertEquals(200, echo.status(), echo.body());
        assertTrue(echo.json().asJsonObject().getJsonNumber("roundTripMs").doubleValue() > 0);
    }

    @Test
    void qidoMatchesTheDimseAnswerAndOrthancsOwnWithRetrieveUrlsOfTheGateway() {
        for (String study : SampleStudies.studies()) {
            JsonArray proxied = jsonArray(PROXY + "/studies?StudyInstanceUID=" + study);
            JsonArray direct = jsonArray(ORTHANC_WEB + "/studies?StudyInstanceUID=" + study);
            assertEquals(direct.toString().replace(ORTHANC_WEB, PROXY), proxied.toString(),
                    "Orthanc's own answer, RetrieveURL rewritten");
            assertEquals(PROXY + "/studies/" + study, proxied.getJsonObject(0).getJsonObject("00081190")
                    .getJsonArray("Value").getString(0));
            assertEquals(values(jsonArray(Http.GATEWAY + "/aets/ORTHANC/studies?StudyInstanceUID=" + study),
                    "0020000D"), values(proxied, "0020000D"));
            assertEquals(new TreeSet<>(SampleStudies.series(study)),
                    values(jsonArray(PROXY + "/studies/" + study + "/series"), "0020000E"));
            assertEquals(new TreeSet<>(SampleStudies.instances(study)),
                    values(jsonArray(PROXY + "/studies/" + study + "/instances"), "00080018"));
            String series = SampleStudies.series(study).get(0);
            JsonArray instances = jsonArray(PROXY + "/studies/" + study + "/series/" + series + "/instances");
            assertEquals(new TreeSet<>(SampleStudies.instances(study, series)), values(instances, "00080018"));
            assertTrue(instances.getJsonObject(0).getJsonObject("00081190").getJsonArray("Value").getString(0)
                    .startsWith(PROXY + "/studies/" + study + "/series/" + series + "/instances/"));
        }
        assertEquals(204, Http.get(PROXY + "/studies?StudyInstanceUID=1.2.3.4.5.6").status(), "no match");
    }

    @Test
    void wadoDeliversTheSampleFilesAtEachLevel() throws IOException {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(1);
        String instance = SampleStudies.instances(study, series).get(2);
        assertEquals(new TreeSet<>(SampleStudies.instances(study)), retrieve("/studies/" + study, ANY));
        assertEquals(new TreeSet<>(SampleStudies.instances(study, series)),
                retrieve("/studies/" + study + "/series/" + series, ANY));
        assertEquals(Set.of(instance), retrieve("/studies/" + study + "/series/" + series + "/instances/" + instance,
                "multipart/related; type=\"application/dicom\""));
        HttpResponse<byte[]> missing = Http.getBytes(PROXY + "/studies/1.2.3.4.5.6", "Accept", ANY);
        assertEquals(404, missing.statusCode());
        assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("ORTHANC-WEB has no study 1.2.3.4.5.6"));
    }

    /** Each part's data set is its sample file's (Orthanc writes file meta information of its own). */
    private static Set<String> retrieve(String path, String accept) throws IOException {
        return SampleStudies.retrieve("ORTHANC-WEB", path, accept, EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void metadataHasBulkDataUrisOfTheGatewayThatServeThePixelData() throws Exception {
        String study = SampleStudies.studies().get(1);
        String series = SampleStudies.series(study).get(0);
        String instance = SampleStudies.instances(study, series).get(0);
        String instancePath = "/studies/" + study + "/series/" + series + "/instances/" + instance;
        JsonArray metadata = jsonArray(PROXY + "/studies/" + study + "/metadata");
        assertEquals(SampleStudies.instances(study).size(), metadata.size());
        JsonArray one = jsonArray(PROXY + instancePath + "/metadata");
        String bulk = one.getJsonObject(0).getJsonObject("7FE00010").getString("BulkDataURI");
        assertEquals(PROXY + instancePath + "/bulkdata/7FE00010", bulk, "named by its tag path, as for DIMSE AEs");
        assertEquals(jsonArray(ORTHANC_WEB + instancePath + "/metadata").toString().replace(ORTHANC_WEB + instancePath
                + "/bulk/7fe00010", bulk), one.toString(), "Orthanc's own, BulkDataURI rewritten");

        HttpResponse<byte[]> value = Http.getBytes(bulk, "Accept", "application/octet-stream");
        assertEquals(200, value.statusCode());
        byte[] sample = Files.readAllBytes(SampleStudies.ROOT.resolve(study).resolve(series).resolve(instance + ".dcm"));
        byte[] pixels = java.util.Arrays.copyOfRange(sample, sample.length - value.body().length, sample.length);
        assertEquals(512 * 512 * 2, value.body().length, "the pixel data of a 512x512 16-bit sample");
        assertArrayEquals(pixels, value.body(), "the sample's pixel data (its last element)");
        HttpResponse<byte[]> range = Http.getBytes(bulk, "Accept", "application/octet-stream", "Range", "bytes=10-19");
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(pixels, 10, 20), range.body());
        assertEquals(404, Http.getBytes(PROXY + instancePath + "/bulkdata/00280010", "Accept",
                "application/octet-stream").statusCode(), "Rows has no BulkDataURI");
    }

    @Test
    void framesAndRenderedImagesComeFromTheUpstream() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        String instance = SampleStudies.instances(study, series).get(0);
        String instancePath = "/studies/" + study + "/series/" + series + "/instances/" + instance;
        HttpResponse<byte[]> viaProxy = Http.getBytes(PROXY + instancePath + "/frames/1", "Accept",
                "multipart/related; type=\"application/octet-stream\"");
        HttpResponse<byte[]> viaDimse = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC" + instancePath + "/frames/1",
                "Accept", "multipart/related; type=\"application/octet-stream\"");
        assertEquals(200, viaProxy.statusCode(), new String(viaProxy.body(), StandardCharsets.UTF_8));
        assertEquals(200, viaDimse.statusCode());
        List<Multipart.Part> proxied = Multipart.parts(viaProxy.body(),
                Multipart.boundary(viaProxy.headers().firstValue("Content-Type").orElseThrow()));
        List<Multipart.Part> dimse = Multipart.parts(viaDimse.body(),
                Multipart.boundary(viaDimse.headers().firstValue("Content-Type").orElseThrow()));
        assertEquals(1, proxied.size());
        assertEquals(dimse.get(0).contentType(), proxied.get(0).contentType());
        assertArrayEquals(dimse.get(0).body(), proxied.get(0).body(), "frame 1, as the DIMSE AE gives it");

        for (String path : List.of(instancePath + "/rendered", "/studies/" + study + "/rendered",
                instancePath + "/thumbnail", "/studies/" + study + "/series/" + series + "/thumbnail")) {
            HttpResponse<byte[]> image = Http.getBytes(PROXY + path, "Accept", "image/jpeg");
            assertEquals(200, image.statusCode(), path + ": " + new String(image.body(), StandardCharsets.UTF_8));
            assertEquals("image/jpeg", image.headers().firstValue("Content-Type").orElseThrow(), path);
            assertEquals((byte) 0xFF, image.body()[0], path);
            assertEquals((byte) 0xD8, image.body()[1], path);
        }
    }

    @Test
    void storedThroughTheProxyThenFoundThroughIt() throws Exception {
        String study = TestInstance.newUid();
        String series = TestInstance.newUid();
        String sop = TestInstance.newUid();
        String secondaryCapture = "1.2.840.10008.5.1.4.1.1.7";
        byte[] file = new TestInstance()
                .text(0x00080016, "UI", secondaryCapture)
                .text(0x00080018, "UI", sop)
                .text(0x00080060, "CS", "OT")
                .text(0x00100010, "PN", "PROXY^STORED")
                .text(0x0020000D, "UI", study)
                .text(0x0020000E, "UI", series)
                .part10(secondaryCapture, sop, TestInstance.EXPLICIT_LE);
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write("--b0undary\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.write(file);
            body.write("\r\n--b0undary\r\nContent-Type: text/plain\r\n\r\nnot DICOM\r\n--b0undary--\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> stored = CLIENT.send(HttpRequest.newBuilder(URI.create(PROXY + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b0undary")
                    .header("Accept", "application/dicom+json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, stored.statusCode(), "one stored, one rejected: " + stored.body());
            JsonObject response = Json.createReader(new StringReader(stored.body())).readObject();
            JsonObject item = response.getJsonObject("00081199").getJsonArray("Value").getJsonObject(0);
            assertEquals(sop, item.getJsonObject("00081155").getJsonArray("Value").getString(0));
            assertEquals(PROXY + "/studies/" + study + "/series/" + series + "/instances/" + sop,
                    item.getJsonObject("00081190").getJsonArray("Value").getString(0));
            assertEquals(1, response.getJsonObject("00081198").getJsonArray("Value").size(), "the text part");

            assertEquals(Set.of(sop), values(jsonArray(PROXY + "/studies/" + study + "/instances"), "00080018"));
        } finally {
            deleteFromOrthanc(study);
        }
        assertEquals(204, Http.get(PROXY + "/studies?StudyInstanceUID=" + study).status(), "deleted again");
    }

    private static void deleteFromOrthanc(String studyUid) throws Exception {
        HttpResponse<String> lookup = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18042/tools/lookup"))
                .POST(HttpRequest.BodyPublishers.ofString(studyUid)).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonObject id : Json.createReader(new StringReader(lookup.body())).readArray()
                .getValuesAs(JsonObject.class)) {
            CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18042" + id.getString("Path"))).DELETE()
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void anUpstreamDownIs502NamingIt() throws Exception {
        TestPeers.stop("orthanc");
        try {
            Http.Reply reply = Http.get(PROXY + "/studies");
            assertEquals(502, reply.status(), reply.body());
            assertEquals("ORTHANC-WEB: cannot connect to 127.0.0.1:18042 (connection refused)",
                    reply.json().asJsonObject().getString("reason"));
            assertFalse(reply.warnings().isEmpty(), "the reason in a Warning header too");
            assertEquals(502, Http.get(PROXY).status(), "verification fails alike");
            HttpResponse<String> store = CLIENT.send(HttpRequest.newBuilder(URI.create(PROXY + "/studies"))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b0undary")
                    .POST(HttpRequest.BodyPublishers.ofString("--b0undary\r\nContent-Type: application/dicom\r\n\r\n"
                            + "DICM\r\n--b0undary--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, store.statusCode(), store.body());
            assertTrue(store.body().contains("ORTHANC-WEB: cannot connect to 127.0.0.1:18042 (connection refused)"),
                    store.body());
        } finally {
            TestPeers.start("orthanc");
        }
        assertEquals(200, Http.get(PROXY).status(), "back without a redeploy");
    }

    /** A frozen Orthanc accepts connections (the kernel does) and never answers: read-timeout-ms (3 s here). */
    @Test
    void anUpstreamThatNeverAnswersIs504AfterTheReadTimeout() {
        assertEquals(200, Http.get(PROXY).status());
        TestPeers.freeze("orthanc");
        try {
            long start = System.nanoTime();
            Http.Reply reply = Http.get(PROXY + "/studies");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, reply.status(), reply.body());
            assertEquals("ORTHANC-WEB: " + ORTHANC_WEB + "/studies did not answer within 3000 ms (read-timeout-ms)",
                    reply.json().asJsonObject().getString("reason"));
            assertTrue(ms >= 2900 && ms < 10_000, "waited " + ms + " ms");
        } finally {
            TestPeers.thaw("orthanc");
        }
    }
}
