package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.LogRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/**
 * The Storage SCP accepts associations only from the calling AE titles of the configured DIMSE AEs and
 * gateway.scp.accepted-calling-aets (or any, if so configured), read from the configuration as it is at each
 * association; others get an A-ASSOCIATE-RJ with reason calling-AE-title-not-recognized and a log line. dcmtk's
 * echoscu and storescu are the callers.
 */
class CallingAeCheckTest {

    /** The configuration the SCP reads at each association; a test changes it between associations. */
    private final Map<String, String> config = new HashMap<>(Map.of(
            "gateway.aet.ORTHANC-MOVE.called-aet", "ORTHANC",
            "gateway.aet.PACS2.called-aet", "PACS2TITLE",
            "gateway.scp.accepted-calling-aets", "STORESCU, LOADER"));
    private ScpPeers.ScpLog log;
    private ExecutorService threads;
    private StorageScp scp;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = ScpPeers.freePort();
        threads = Executors.newCachedThreadPool();
        ConfigValues values = new ConfigValues(key -> Optional.ofNullable(config.get(key)));
        scp = new StorageScp(new ScpSettings("DICOMWEB", "127.0.0.1", port, 65536, 5_000, false, null, 0, null),
                threads, new MoveRouter(), null,
                () -> CallingAets.read(values, List.of("ORTHANC", "ORTHANC-MOVE", "PACS2")),
                new ScpMeters(new SimpleMeterRegistry()));
        scp.start();
        log = new ScpPeers.ScpLog();
    }

    @AfterEach
    void stop() {
        log.close();
        scp.close();
        threads.shutdownNow();
    }

    @Test
    void anUnknownCallingAeIsRejectedWithTheReasonAndALogLine() throws Exception {
        String output = ScpPeers.run("echoscu", "-v", "-aet", "NOBODY", "-aec", "DICOMWEB", "127.0.0.1", String.valueOf(port));
        assertTrue(output.contains("Association Rejected"), output);
        assertTrue(output.contains("Result: Rejected Permanent, Source: Service User"), output);
        assertTrue(output.contains("Reason: Calling AE Title Not Recognized"), output);
        LogRecord line = log.records().stream().filter(r -> r.getMessage().contains("NOBODY")).findFirst().orElseThrow();
        assertTrue(line.getMessage().contains("127.0.0.1") && line.getMessage().contains("not recognized"),
                line.getMessage());
    }

    @Test
    void thePacsAeTitlesAndTheConfiguredListAreAccepted() throws Exception {
        for (String known : List.of("ORTHANC", "PACS2TITLE", "STORESCU", "LOADER")) {
            String output = ScpPeers.run("echoscu", "-v", "-aet", known, "-aec", "DICOMWEB", "127.0.0.1",
                    String.valueOf(port));
            assertTrue(output.contains("Received Echo Response (Success)"), known + ": " + output);
        }
        // the AE's name in gateway.aets is not its AE title when called-aet says otherwise
        assertTrue(ScpPeers.run("echoscu", "-aet", "PACS2", "-aec", "DICOMWEB", "127.0.0.1", String.valueOf(port))
                .contains("Calling AE Title Not Recognized"));
    }

    @Test
    void theCheckFollowsTheConfigurationOfTheMoment() throws Exception {
        config.put("gateway.scp.accept-any-calling-aet", "true");
        assertTrue(ScpPeers.run("echoscu", "-v", "-aet", "NOBODY", "-aec", "DICOMWEB", "127.0.0.1", String.valueOf(port))
                .contains("Received Echo Response (Success)"));
        config.remove("gateway.scp.accept-any-calling-aet");
        config.put("gateway.scp.accepted-calling-aets", "NOBODY");
        assertTrue(ScpPeers.run("echoscu", "-v", "-aet", "NOBODY", "-aec", "DICOMWEB", "127.0.0.1", String.valueOf(port))
                .contains("Received Echo Response (Success)"));
        assertTrue(ScpPeers.run("echoscu", "-aet", "STORESCU", "-aec", "DICOMWEB", "127.0.0.1", String.valueOf(port))
                .contains("Calling AE Title Not Recognized"));
    }

    @Test
    void aBadEntryInTheListNamesTheKey() {
        ConfigValues values = new ConfigValues(key -> Optional.ofNullable(
                Map.of("gateway.scp.accepted-calling-aets", "GOOD,,OTHER").get(key)));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> CallingAets.read(values, List.of()));
        assertEquals("configuration key 'gateway.scp.accepted-calling-aets' has the entry '', which is not a DICOM AE"
                + " title (comma-separated AE titles, 1-16 characters each)", e.getMessage());
    }
}
