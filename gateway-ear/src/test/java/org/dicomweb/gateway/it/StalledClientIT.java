package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * A client that reads the start of a long retrieval and then stops reading, without closing: Undertow's write
 * timeout fails the blocked write, the gateway cancels the C-GET or C-MOVE, and the PACS has its association back;
 * other clients are served meanwhile. Four such clients once took the PACS down for everyone.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StalledClientIT extends DeployedGateway {

    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    /** Beyond the write timeout: for the C-CANCEL to be answered and the association to go back to its pool. */
    private static final long MARGIN_MS = 10_000;

    @ArquillianResource
    ManagementClient management;

    @Test
    void aClientThatStopsReadingHasItsCGetCancelledWithinTheWriteTimeout() throws Exception {
        stallOn("ORTHANC", "C-GET");
    }

    @Test
    void aClientThatStopsReadingHasItsCMoveCancelledWithinTheWriteTimeout() throws Exception {
        stallOn("ORTHANC-MOVE", "C-MOVE");
    }

    private void stallOn(String aet, String operation) throws Exception {
        long writeTimeoutMs = ServerProcess.read(management, Operations.createAddress("subsystem", "undertow",
                "server", "default-server", "http-listener", "default"), "write-timeout").asLong();
        assertTrue(writeTimeoutMs > 0 && writeTimeoutMs <= 10_000, "wildfly-config/loopback-peers.cli sets a short"
                + " write timeout for this test, not " + writeTimeoutMs);
        Path serverLog = Path.of(ServerProcess.read(management, Operations.createAddress("core-service",
                "server-environment"), "log-dir").asString(), "server.log");
        long logBefore = Files.size(serverLog);
        try (Socket client = RawHttp.send("GET", "/aets/" + aet + "/studies/" + longStudy(), ANY)) {
            InputStream in = client.getInputStream();
            String head = RawHttp.head(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            assertEquals(1_000_000, in.readNBytes(1_000_000).length);
            long stoppedAt = System.nanoTime();
            // From here on the client reads nothing and stays connected.
            assertTrue(ServerProcess.busyAssociations(aet) > 0, aet + ": the retrieval is still running");

            assertEquals(200, Http.get(Http.GATEWAY + "/aets/" + aet + "/studies?limit=1").status(),
                    "a search by another client meanwhile");
            String study = SampleStudies.studies().get(0);
            String series = SampleStudies.series(study).get(0);
            assertEquals(200, Http.getBytes(Http.GATEWAY + "/aets/ORTHANC/studies/" + study + "/series/" + series
                    + "/instances/" + SampleStudies.instances(study, series).get(0), "Accept", ANY).statusCode(),
                    "a retrieval by another client meanwhile");

            assertTrue(ServerProcess.await(writeTimeoutMs + MARGIN_MS, () -> ServerProcess.busyAssociations(aet) == 0),
                    aet + ": the association is back within the write timeout (" + writeTimeoutMs + " ms) and "
                            + MARGIN_MS + " ms");
            long backAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
            assertTrue(ServerProcess.await(5_000, () -> threadsInRetrieval().isEmpty()),
                    aet + ": no thread left in the retrieval: " + threadsInRetrieval());
            // The PACS's final response: it stopped. Orthanc answers a C-GET's C-CANCEL with Cancel (0xFE00); a C-MOVE
            // it may end with a failure (0xC000) at the first C-STORE the gateway then refuses, before it reads the
            // C-CANCEL. Either way not Success or Warning: it did not go on to send the whole study.
            String log = newLogLines(serverLog, logBefore);
            Matcher ended = Pattern.compile(Pattern.quote(aet + ": " + operation + " of study " + longStudy()
                    + " cancelled; the PACS ended it with status 0x") + "([0-9a-f]+)").matcher(log);
            assertTrue(ended.find(), aet + ": the PACS's answer to the C-CANCEL is logged; server.log says:\n" + log);
            assertTrue(ended.group(1).matches(operation.equals("C-GET") ? "fe00" : "fe00|[ac][0-9a-f]{3}"), log);

            // The server closed the connection: the rest ends without the closing delimiter.
            byte[] rest = in.readAllBytes();
            assertFalse(new String(rest, StandardCharsets.US_ASCII).endsWith("--\r\n"), aet + ": body cut short");
            System.out.println(aet + ": association back " + backAfterMs + " ms after the client stopped reading");
        }
    }

    private List<String> threadsInRetrieval() {
        try {
            return ServerThreads.framesContaining(management, "GetExchange", "InstanceRetrieval", "MoveExchange",
                    "MoveRetrieval");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newLogLines(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }

    /** The 500-instance study (~250 MB) scripts/test.sh loads into Orthanc. */
    private static String longStudy() throws IOException {
        try (Stream<Path> studies = Files.list(TestPeers.projectRoot().resolve("work/samples/1x1x500"))) {
            return studies.findFirst().orElseThrow().getFileName().toString();
        }
    }
}
