package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * A PACS that accepts an association and then takes no more data: the gateway's write blocks once the TCP window is
 * full (Java sockets have no write timeout), and the watch the device runs every 5 s cuts it after the DIMSE timeout.
 */
class StalledWriteTest {

    @Test
    void aWriteThePacsStopsTakingIsCutAfterTheDimseTimeout() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (ScriptedPeer peer = new ScriptedPeer(socket -> {
            byte[] request = ScriptedPeer.readPdu(socket.getInputStream()).body();
            socket.getOutputStream().write(ScriptedPeer.accept(request, Map.of()));
            testDone.await(20, TimeUnit.SECONDS); // reads nothing more
        })) {
            DimseAssociation association = DimseAssociation.open(peer.ae(), PresentationContexts.queryRetrieve(false));
            DimseAssociation.abortStalledWrites();
            assertTrue(association.isUsable(), "an association that is not writing is left alone");

            Future<?> store = writer.submit(() -> association.exchange("C-STORE", () -> {
                OutputStream data = association.dataStream((byte) 1);
                byte[] megabyte = new byte[1 << 20];
                for (int i = 0; i < 512; i++) {
                    data.write(megabyte);
                }
                return null;
            }));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (!store.isDone()) {
                    DimseAssociation.abortStalledWrites();
                    Thread.sleep(100);
                }
            });
            ExecutionException e = assertThrows(ExecutionException.class, store::get);
            assertInstanceOf(PeerTimeoutException.class, e.getCause());
            assertEquals("SCRIPTED at 127.0.0.1:" + peer.port() + ": took no data of the C-STORE for 1000 ms",
                    e.getCause().getMessage());
            assertTrue(!association.isUsable(), "the association is closed, never reused");
            testDone.countDown();
        } finally {
            testDone.countDown();
            writer.shutdownNow();
        }
    }
}
