package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * DICOM TLS in the deployed gateway (wildfly-config/test-dicom-tls.cli): STOW-RS, QIDO-RS and WADO-RS through the
 * ORTHANC-TLS AE (C-STORE, C-FIND and C-GET on TLS associations to scripts/peers.sh's orthanc-tls, which wants the
 * gateway's client certificate); TLS-PLAIN, TLS towards a plain Orthanc, is a 502 naming the handshake and leaves
 * nothing open; the Storage SCP's TLS port answers dcmtk's TLS tools and checks their calling AE title.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DicomTlsIT extends DeployedGatewayAndPeers {

    private static final Path TLS = TestPeers.projectRoot().resolve("work/peers/orthanc-tls/tls");
    private static final int SCP_TLS_PORT = 11114;
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    @ArquillianResource
    private ManagementClient management;

    @BeforeAll
    static void samplesStoredOverTls() {
        // STOW-RS to ORTHANC-TLS: C-STOREs on TLS associations (Orthanc overwrites what an earlier run stored)
        Stow.samples("ORTHANC-TLS", SampleStudies.ROOT);
    }

    @Test
    void searchAndRetrieveThroughATlsPacs() throws IOException {
        String study = SampleStudies.studies().get(0);
        Http.Reply studies = Http.get(Http.GATEWAY + "/aets/ORTHANC-TLS/studies?StudyInstanceUID=" + study
                + "&includefield=NumberOfStudyRelatedInstances");
        assertEquals(200, studies.status(), studies.body());
        JsonArray matches = studies.json().asJsonArray();
        assertEquals(1, matches.size(), studies.body());
        assertEquals(SampleStudies.instances(study).size(),
                matches.getJsonObject(0).getJsonObject("00201208").getJsonArray("Value").getInt(0));

        Http.Reply instances = Http.get(Http.GATEWAY + "/aets/ORTHANC-TLS/studies/" + study + "/instances");
        assertEquals(200, instances.status(), instances.body());
        Set<String> found = new TreeSet<>();
        instances.json().asJsonArray().forEach(match -> found.add(
                match.asJsonObject().getJsonObject("00080018").getJsonArray("Value").getString(0)));
        assertEquals(new TreeSet<>(SampleStudies.instances(study)), found, "QIDO over TLS");

        String series = SampleStudies.series(study).get(0);
        assertEquals(new TreeSet<>(SampleStudies.instances(study, series)), SampleStudies.retrieve("ORTHANC-TLS",
                "/studies/" + study + "/series/" + series, ANY, "1.2.840.10008.1.2.1"), "WADO-RS (C-GET) over TLS");
    }

    @Test
    void aTlsHandshakeWithAPlainPacsIs502WithTheReasonAndLeavesNothingOpen() throws IOException {
        String where = "TLS-PLAIN at 127.0.0.1:" + TestPeers.ORTHANC_PORT + ": ";
        Http.Reply echo = Http.get(Http.GATEWAY + "/aets/TLS-PLAIN");
        assertEquals(502, echo.status(), echo.body());
        String reason = echo.json().asJsonObject().getString("reason");
        assertTrue(reason.startsWith(where + "TLS handshake failed: "), reason);

        Http.Reply search = Http.get(Http.GATEWAY + "/aets/TLS-PLAIN/studies");
        assertEquals(502, search.status(), search.body());
        assertTrue(search.json().asJsonObject().getString("reason").startsWith(where + "TLS handshake failed: "),
                search.body());

        JsonObject plain = Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream()
                .map(JsonValue::asJsonObject).filter(ae -> ae.getString("aet").equals("TLS-PLAIN"))
                .findFirst().orElseThrow();
        assertEquals("tls", plain.getString("transport"));
        for (JsonValue pool : plain.getJsonArray("pools")) {
            assertEquals(0, pool.asJsonObject().getInt("open"), "no association left: " + plain);
        }
        assertEquals(List.of(), ServerThreads.framesContaining(management, "TlsHandshake", "SSLSocketImpl.startHandshake"),
                "no thread left in a handshake");
    }

    @Test
    void theStorageScpsTlsPortAnswersTlsClientsWithAKnownCallingAe() {
        List<String> tls = List.of("+tls", TLS.resolve("orthanc.key").toString(), TLS.resolve("orthanc.crt").toString(),
                "+cf", TLS.resolve("gateway.crt").toString());
        String echo = dcmtk("echoscu", tls, "-aet", "ECHOSCU");
        assertTrue(echo.contains("Received Echo Response (Success)"), echo);
        String stranger = dcmtk("echoscu", tls, "-aet", "NOBODY");
        assertTrue(stranger.contains("Reason: Calling AE Title Not Recognized"), stranger);
    }

    /** A dcmtk tool (-v) against the gateway's TLS port, which may fail: its output says how. */
    private static String dcmtk(String tool, List<String> tls, String... options) {
        List<String> command = new java.util.ArrayList<>(List.of(tool, "-v"));
        command.addAll(tls);
        command.addAll(List.of(options));
        command.addAll(List.of("-aec", "DICOMWEB", TestPeers.HOST, String.valueOf(SCP_TLS_PORT)));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), command + " ended");
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
