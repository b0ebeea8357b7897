package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * WADO-RS instance retrieval over C-GET and C-MOVE against Orthanc and dcmqrscp: every data set delivered is compared
 * byte for byte with the sample file the PACS was loaded with.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WadoIT extends DeployedGateway {

    /** Orthanc by C-GET, dcmqrscp by C-MOVE routed by instance UIDs, Orthanc by C-MOVE routed by originator. */
    private static final List<String> AETS = List.of("ORTHANC", "DCMQRSCP", "ORTHANC-MOVE");
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @ArquillianResource
    ManagementClient management;

    @AfterEach
    void peersUp() {
        TestPeers.start("all");
    }

    @Test
    void retrievesExactlyTheLevelAskedIdenticalToThePacsCopy() throws IOException {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(1);
        String instance = SampleStudies.instances(study, series).get(2);
        for (String aet : AETS) {
            assertEquals(new TreeSet<>(SampleStudies.instances(study)),
                    SampleStudies.retrieve(aet, "/studies/" + study, ANY, "1.2.840.10008.1.2.1"), aet + ": study");
            assertEquals(new TreeSet<>(SampleStudies.instances(study, series)),
                    SampleStudies.retrieve(aet, "/studies/" + study + "/series/" + series, ANY, "1.2.840.10008.1.2.1"),
                    aet + ": series");
            assertEquals(Set.of(instance), SampleStudies.retrieve(aet, "/studies/" + study + "/series/" + series + "/instances/"
                    + instance, "multipart/related; type=\"application/dicom\"", "1.2.840.10008.1.2.1"),
                    aet + ": instance, default transfer syntax");
        }
    }

    /**
     * Viewers open the same study at the same time. dcmqrscp leaves the Move Originator fields out, so its instances
     * are routed by UID: overlapping C-MOVEs must not steal each other's instances.
     */
    @Test
    void concurrentRetrievalsOfOneStudyEachGetEveryInstanceOnce() throws Exception {
        String study = SampleStudies.studies().get(1);
        String series = SampleStudies.series(study).get(0);
        ExecutorService clients = Executors.newFixedThreadPool(12);
        try {
            List<Future<Set<String>>> studies = new ArrayList<>();
            List<Future<Set<String>>> seriesOnly = new ArrayList<>();
            for (String aet : AETS) {
                for (int i = 0; i < 2; i++) {
                    studies.add(clients.submit(() -> SampleStudies.retrieve(aet, "/studies/" + study, ANY, "1.2.840.10008.1.2.1")));
                    seriesOnly.add(clients.submit(() -> SampleStudies.retrieve(aet, "/studies/" + study + "/series/" + series, ANY,
                            "1.2.840.10008.1.2.1")));
                }
            }
            for (Future<Set<String>> retrieved : studies) {
                assertEquals(new TreeSet<>(SampleStudies.instances(study)), retrieved.get(60, TimeUnit.SECONDS));
            }
            for (Future<Set<String>> retrieved : seriesOnly) {
                assertEquals(new TreeSet<>(SampleStudies.instances(study, series)),
                        retrieved.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Asked for Implicit VR Little Endian, every path delivers it: C-GET asks the PACS for it, C-MOVE converts what the
     * PACS sent (Explicit) as it streams. dcmtk's dcmconv turns each part back to Explicit, which must give the sample
     * file's data set byte for byte where the gateway converted (C-MOVE). Orthanc's own conversion (C-GET) changes the
     * data set by a couple of bytes, so there only the size is compared, within 16 bytes.
     */
    @Test
    void instancesComeInTheTransferSyntaxAsked(@TempDir Path work) throws Exception {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        String implicit = "1.2.840.10008.1.2";
        for (String aet : AETS) {
            HttpResponse<byte[]> response = Http.getBytes(Http.GATEWAY + "/aets/" + aet + "/studies/" + study
                    + "/series/" + series, "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax="
                    + implicit);
            assertEquals(200, response.statusCode(), aet);
            List<Multipart.Part> parts = Multipart.parts(response.body(),
                    Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow()));
            assertEquals(SampleStudies.instances(study, series).size(), parts.size(), aet);
            for (Multipart.Part part : parts) {
                assertEquals("application/dicom; transfer-syntax=" + implicit, part.contentType(), aet);
                Path received = Files.write(work.resolve("received.dcm"), part.body());
                Path explicit = work.resolve("explicit.dcm");
                TestPeers.run("dcmconv", "+te", received.toString(), explicit.toString());
                byte[] expected = Multipart.dataSet(Files.readAllBytes(SampleStudies.fileOf(part.body())));
                byte[] converted = Multipart.dataSet(Files.readAllBytes(explicit));
                if (aet.equals("ORTHANC")) {
                    assertTrue(Math.abs(expected.length - converted.length) <= 16, aet);
                } else {
                    assertArrayEquals(expected, converted, aet);
                }
            }
        }
    }

    @Test
    void nothingToRetrieveIs404AndOtherTypesAre406() {
        String study = SampleStudies.studies().get(0);
        for (String aet : AETS) {
            HttpResponse<byte[]> missing = Http.getBytes(Http.GATEWAY + "/aets/" + aet + "/studies/1.2.3.4.5.6",
                    "Accept", ANY);
            assertEquals(404, missing.statusCode(), aet);
            assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains(aet + " has no study 1.2.3.4.5.6"));
            HttpResponse<byte[]> json = Http.getBytes(Http.GATEWAY + "/aets/" + aet + "/studies/" + study,
                    "Accept", "application/dicom+json");
            assertEquals(406, json.statusCode(), aet);
            assertTrue(new String(json.body(), StandardCharsets.UTF_8)
                    .contains("multipart/related; type=\\\"application/dicom\\\""), "406 names what would do");
        }
        assertEquals(400, Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies/not-a-uid", "Accept", ANY).statusCode());
    }

    /**
     * Over HTTP/1.1 (a client of its own: the cut takes its connection) and HTTP/2 (the shared client: the cut resets
     * only its stream, the connection and the test's later requests go on).
     */
    @Test
    void aPacsKilledMidTransferCutsTheBodyAndLeavesNothingBehind() throws Exception {
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            killPacsMidTransfer("ORTHANC", version);
            killPacsMidTransfer("ORTHANC-MOVE", version);
        }
    }

    /**
     * Over C-GET or C-MOVE: the body is cut at the HTTP level (no HTTP client takes it as complete) and has no closing
     * delimiter, no thread is left in the retrieval, and the next retrieval works. The test reads on while the PACS
     * dies: a reader that paused would have the body cut for its own stall (the listener's write-timeout) instead.
     */
    private void killPacsMidTransfer(String aet, HttpClient.Version version) throws Exception {
        String what = aet + " over " + version;
        String study = Files.list(TestPeers.projectRoot().resolve("work/samples/1x1x500")).findFirst().orElseThrow()
                .getFileName().toString();
        HttpResponse<InputStream> response = Http.getStream(version, Http.GATEWAY + "/aets/" + aet + "/studies/"
                + study, "Accept", ANY);
        assertEquals(200, response.statusCode(), what);
        assertEquals(version, response.version(), what + ": the protocol asked for");
        String boundary = Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow());
        byte[] tail = new byte[0];
        long received = 0;
        IOException cut = null;
        try (InputStream body = response.body()) {
            received = body.readNBytes(2_000_000).length; // a few instances
            TestPeers.kill("orthanc");
            byte[] buffer = new byte[1 << 16];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                received += n;
                tail = java.util.Arrays.copyOfRange(buffer, Math.max(0, n - 100), n);
            }
        } catch (IOException truncated) {
            cut = truncated; // HTTP/1.1: the connection ended without the last chunk; HTTP/2: RST_STREAM
        }
        String end = new String(tail, StandardCharsets.US_ASCII);
        assertFalse(end.contains("--" + boundary + "--"), what + ": no closing delimiter after a failed transfer");
        assertTrue(cut != null, what + ": the transfer was cut, so no HTTP client takes the body as complete; it ended"
                + " cleanly after " + received + " bytes, ending " + end.replaceAll("[^\\x20-\\x7e]", "."));
        assertTrue(received < 500L * 520_000, what + ": the transfer really was cut short: " + received + " bytes");

        TestPeers.start("orthanc");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> stuck;
        do {
            stuck = ServerThreads.framesContaining(management, "GetExchange", "InstanceRetrieval", "MoveExchange",
                    "MoveRetrieval");
        } while (!stuck.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), stuck, what + ": no thread is left in the retrieval (cut by " + cut + ")");
        String first = SampleStudies.studies().get(0);
        String series = SampleStudies.series(first).get(0);
        assertEquals(1, SampleStudies.retrieve(aet, "/studies/" + first + "/series/" + series + "/instances/"
                + SampleStudies.instances(first, series).get(0), ANY, "1.2.840.10008.1.2.1").size(),
                what + ": retrieval works again without a redeploy");
    }
}
