package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * Bad input answers 4xx with a reason before anything is sent to a PACS: the requests run with both PACS stopped, so
 * any DIMSE exchange would have failed them with 502. And a UID with a leading zero in a component, which legacy PACS
 * hold, is found by QIDO-RS and retrieved by WADO-RS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadInputIT extends DeployedGateway {

    private static final String DICOM = "multipart/related; type=\"application/dicom\"";
    private static final String UID_65 = "1.2.840." + "1".repeat(57);
    /**
     * HTTP/1.1, as curl and browsers speak it over http://. (Java's default, an h2c upgrade, meets Undertow's HTTP/2
     * header limit with a 100 000-character URL: a GOAWAY, not an HTTP answer.)
     */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @AfterEach
    void peersUp() {
        TestPeers.start("all");
    }

    /** A request, the status it must get and a piece of the reason it must give. */
    private record Bad(String path, String accept, int status, String reason) {
    }

    private static List<Bad> badRequests(String study) {
        return List.of(
                new Bad("/studies/1..2/series", "application/dicom+json", 400,
                        "study UID in the path: '1..2' is not a UID: it has an empty component"),
                new Bad("/studies/" + study + "/series/1.2./instances", "application/dicom+json", 400,
                        "series UID in the path: '1.2.' is not a UID"),
                new Bad("/studies/" + UID_65, DICOM, 400, "study UID in the path: '" + UID_65.substring(0, 64)
                        + "... (65 characters)' is not a UID: it is 65 characters long, more than 64"),
                new Bad("/studies/" + study + "/series/1.2/instances/1.2%2F3.4/metadata", "application/dicom+json", 400,
                        "instance UID in the path: '1.2/3.4' is not a UID: it has '/' at character 4"),
                new Bad("/studies/1.2%2F3.4", DICOM, 400, "study UID in the path: '1.2/3.4' is not a UID"),
                new Bad("/studies?PatientName=" + "A".repeat(100_000), "application/dicom+json", 414,
                        "the query string is 100012 characters long, more than 32768 (gateway.http.max-query-length)"),
                new Bad("/studies?PatientName=" + "A".repeat(1000), "application/dicom+json", 400,
                        "parameter 'PatientName': '" + "A".repeat(64) + "... (1000 characters)' is 1000 characters"
                                + " long; a PN value has at most 64 per component group"),
                new Bad("/studies?StudyTime=256000", "application/dicom+json", 400,
                        "parameter 'StudyTime': '256000' is not a time (HHMMSS.FFFFFF) or time range"),
                new Bad("/studies?PatientName=DOE%01", "application/dicom+json", 400,
                        "parameter 'PatientName': 'DOEU+0001' has the control character U+0001 at character 4"),
                new Bad("/series?StudyInstanceUID=1.2,1..3", "application/dicom+json", 400,
                        "parameter 'StudyInstanceUID': '1..3' is not a UID"),
                new Bad("/studies/" + study, DICOM + "; transfer-syntax=1.2.3.4", 406,
                        "instances cannot be delivered in transfer syntax 1.2.3.4; available as " + DICOM
                                + "; transfer-syntax=* or one of 1.2.840.10008.1.2.1, 1.2.840.10008.1.2,"));
    }

    @Test
    void badInputIs4xxWithAReasonAndReachesNoPacs() throws Exception {
        String study = SampleStudies.studies().get(0);
        TestPeers.stop("all");
        for (String aet : List.of("ORTHANC", "DCMQRSCP", "ORTHANC-WEB")) {
            for (Bad bad : badRequests(study)) {
                String url = Http.GATEWAY + "/aets/" + aet + bad.path();
                HttpResponse<byte[]> response = HTTP_1_1.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30)).header("Accept", bad.accept()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                String body = new String(response.body(), StandardCharsets.UTF_8);
                String what = aet + " " + shortened(bad.path()) + ": " + body;
                assertEquals(bad.status(), response.statusCode(), what);
                JsonObject error = new Http.Reply(response.statusCode(), "", body, List.of()).json().asJsonObject();
                // A DICOMweb upstream may be asked for any standard transfer syntax: its list differs from DIMSE's.
                String reason = aet.equals("ORTHANC-WEB") && bad.status() == 406
                        ? bad.reason().substring(0, bad.reason().indexOf(" or one of")) : bad.reason();
                assertTrue(error.getString("reason").startsWith(reason), what);
            }
        }
    }

    /**
     * Request line and headers over the listener's max-header-size (256 KiB, wildfly-config/gateway.cli) are refused by
     * Undertow itself, before any resource runs; the next request is served as usual.
     */
    @Test
    void headersOverTheListenersLimitAreRefused() throws Exception {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(TestPeers.HOST, 8080), 5_000);
            String request = "GET /dicomweb/aets HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Padding: "
                    + "a".repeat(300 * 1024) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String head = RawHttp.head(socket.getInputStream());
            assertTrue(head.startsWith("HTTP/1.1 400"), head);
        }
        assertEquals(200, Http.get(Http.GATEWAY + "/aets").status());
    }

    private static String shortened(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    /**
     * PS3.5 §9.1 forbids a leading zero in a UID component, but legacy PACS hold such UIDs: what QIDO-RS returns,
     * WADO-RS takes back. The instance is a sample with new UIDs, stored into Orthanc with storescu, deleted after.
     */
    @Test
    void aLeadingZeroUidIsFoundAndRetrieved() throws Exception {
        String base = "1.2.840.0123." + System.currentTimeMillis();
        String study = base + ".01";
        String series = base + ".02";
        String instance = base + ".03";
        String sampleStudy = SampleStudies.studies().get(0);
        String sampleSeries = SampleStudies.series(sampleStudy).get(0);
        Path file = Files.copy(SampleStudies.ROOT.resolve(sampleStudy).resolve(sampleSeries)
                .resolve(SampleStudies.instances(sampleStudy, sampleSeries).get(0) + ".dcm"), work.resolve("i.dcm"));
        TestPeers.run("dcmodify", "-nb", "-m", "(0020,000D)=" + study, "-m", "(0020,000E)=" + series,
                "-m", "(0008,0018)=" + instance, file.toString());
        TestPeers.run("storescu", "-aet", "STORESCU", "-aec", "ORTHANC", TestPeers.HOST,
                String.valueOf(TestPeers.ORTHANC_PORT), file.toString());
        try {
            Http.Reply found = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies/" + study + "/series/" + series
                    + "/instances?SOPInstanceUID=" + instance);
            assertEquals(200, found.status(), found.body());
            JsonArray matches = found.json().asJsonArray();
            assertEquals(1, matches.size());
            assertEquals(instance, matches.getJsonObject(0).getJsonObject("00080018").getJsonArray("Value")
                    .getString(0));

            HttpResponse<byte[]> back = Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies/" + study + "/series/"
                    + series + "/instances/" + instance, "Accept", DICOM + "; transfer-syntax=*");
            assertEquals(200, back.statusCode(), new String(back.body()));
            List<Multipart.Part> parts = Multipart.parts(back.body(),
                    Multipart.boundary(back.headers().firstValue("Content-Type").orElseThrow()));
            assertEquals(1, parts.size());
            assertArrayEquals(Multipart.dataSet(Files.readAllBytes(file)), Multipart.dataSet(parts.get(0).body()));
        } finally {
            deleteFromOrthanc(study);
        }
    }

    /** Orthanc's REST API: the study's Orthanc id by its UID, then DELETE. */
    private static void deleteFromOrthanc(String studyUid) throws IOException, InterruptedException {
        String orthanc = "http://127.0.0.1:18042";
        HttpResponse<String> lookup = HTTP_1_1.send(HttpRequest.newBuilder(URI.create(orthanc + "/tools/lookup"))
                .POST(HttpRequest.BodyPublishers.ofString(studyUid)).build(), HttpResponse.BodyHandlers.ofString());
        JsonArray ids = new Http.Reply(lookup.statusCode(), "", lookup.body(), List.of()).json().asJsonArray();
        for (JsonObject id : ids.getValuesAs(JsonObject.class)) {
            URI path = URI.create(orthanc + id.getString("Path"));
            HttpResponse<String> deleted = HTTP_1_1.send(HttpRequest.newBuilder(path).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
        }
    }
}
