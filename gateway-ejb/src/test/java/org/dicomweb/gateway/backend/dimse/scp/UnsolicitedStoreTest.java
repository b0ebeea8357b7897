package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

/**
 * Without gateway.scp.ingest-aet the Storage SCP refuses a C-STORE that no C-MOVE waits for (0xA700), as before the
 * change feed: dcmtk's storescu sends one to it.
 */
class UnsolicitedStoreTest {

    @TempDir
    Path work;

    @Test
    void withoutAnIngestAeAnInstanceNobodyWaitsForIsRefused() throws Exception {
        int port = ScpPeers.freePort();
        ExecutorService threads = Executors.newCachedThreadPool();
        StorageScp scp = new StorageScp(new ScpSettings("DICOMWEB", "127.0.0.1", port, 65536, 5_000, false, null, 0, null),
                threads, new MoveRouter(), null, () -> new CallingAets(Set.of("STORESCU"), false));
        try {
            scp.start();
            File file = ScpPeers.instance(work.resolve("unsolicited.dcm"), "1.2.826.0.1.3680043.2.1125.99");
            String output = ScpPeers.run("storescu", "-v", "-aet", "STORESCU", "-aec", "DICOMWEB", "127.0.0.1",
                    String.valueOf(port), file.toString());
            assertTrue(output.contains("Received Store Response (Refused: OutOfResources)"), output);
        } finally {
            scp.close();
            threads.shutdownNow();
        }
    }
}
