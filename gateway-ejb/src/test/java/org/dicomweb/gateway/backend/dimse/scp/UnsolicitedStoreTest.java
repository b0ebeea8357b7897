package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

/**
 * Without gateway.scp.ingest-aet the Storage SCP refuses a C-STORE that no C-MOVE waits for (0xA700), as before the
 * change feed: dcmtk's storescu sends one to it. The SCP's meters count it as a failed C-STORE of that calling AE,
 * with at least its bytes received.
 */
class UnsolicitedStoreTest {

    @TempDir
    Path work;

    @Test
    void withoutAnIngestAeAnInstanceNobodyWaitsForIsRefused() throws Exception {
        int port = ScpPeers.freePort();
        ExecutorService threads = Executors.newCachedThreadPool();
        MeterRegistry registry = new SimpleMeterRegistry();
        StorageScp scp = new StorageScp(new ScpSettings("DICOMWEB", "127.0.0.1", port, 65536, 5_000, false, null, 0, null),
                threads, new MoveRouter(), null, () -> new CallingAets(Set.of("STORESCU"), false),
                new ScpMeters(registry));
        try {
            scp.start();
            File file = ScpPeers.instance(work.resolve("unsolicited.dcm"), "1.2.826.0.1.3680043.2.1125.99");
            String output = ScpPeers.run("storescu", "-v", "-aet", "STORESCU", "-aec", "DICOMWEB", "127.0.0.1",
                    String.valueOf(port), file.toString());
            assertTrue(output.contains("Received Store Response (Refused: OutOfResources)"), output);
            // Counted before the response was sent, so before storescu could read it.
            assertEquals(1, registry.get("dicomweb.gateway.scp.stores").tags("calling_aet", "STORESCU", "outcome",
                    "failure").counter().count());
            assertEquals(1, registry.get("dicomweb.gateway.scp.stores").counters().size(), "one series");
            assertTrue(registry.get("dicomweb.gateway.scp.received").tags("calling_aet", "STORESCU").counter().count()
                    > file.length() - 200, "the data set's bytes at least (the file less its meta header)");
        } finally {
            scp.close();
            threads.shutdownNow();
        }
    }
}
