package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.PoolStats;
import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.testpeers.TestPeers;

/** The association pool and C-ECHO against the real Orthanc and dcmqrscp started by scripts/peers.sh. */
class AssociationPoolIT {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        TestPeers.thaw("orthanc");
    }

    private static RemoteAe ae(String aet, int port, int poolSize, int poolWaitMs, int dimseMs, int idleMs) {
        return new RemoteAe(aet, TestPeers.HOST, port, "GWTEST", poolSize, poolWaitMs, 2_000, dimseMs, idleMs, 30_000, 65536,
                RelationalQueries.AUTO, aet, RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4, null);
    }

    private static RemoteAe orthanc(int poolSize, int poolWaitMs, int dimseMs) {
        return ae("ORTHANC", TestPeers.ORTHANC_PORT, poolSize, poolWaitMs, dimseMs, 60_000);
    }

    private static DimseAssociation echo(AssociationPool pool) {
        return pool.execute(association -> {
            association.echo();
            return association;
        });
    }

    @Test
    void echoesReuseOneAssociation() {
        for (RemoteAe ae : List.of(orthanc(4, 1_000, 5_000),
                ae("DCMQRSCP", TestPeers.DCMQRSCP_PORT, 4, 1_000, 5_000, 60_000))) {
            try (AssociationPool pool = new AssociationPool(ae)) {
                DimseAssociation first = echo(pool);
                for (int i = 0; i < 5; i++) {
                    assertSame(first, echo(pool), ae.aet() + ": an idle association is reused");
                }
                assertEquals(new PoolStats(ae.aet(), 1, 1, 0, 0, 4), pool.stats());
            }
        }
    }

    @Test
    void aRejectedAssociationSaysWhy() {
        // dcmqrscp only accepts associations called with an AE title from its configuration.
        RemoteAe wrongTitle = ae("NOT_DCMQRSCP", TestPeers.DCMQRSCP_PORT, 1, 1_000, 5_000, 60_000);
        try (AssociationPool pool = new AssociationPool(wrongTitle)) {
            PeerFailureException e = assertThrows(PeerFailureException.class, () -> echo(pool));
            assertTrue(e.getMessage().startsWith("NOT_DCMQRSCP at 127.0.0.1:11113: association failed: "),
                    e.getMessage());
            assertEquals(0, pool.stats().open());
        }
    }

    @Test
    void aClosedPortIsRefused() {
        try (AssociationPool pool = new AssociationPool(ae("NOBODY", 1, 1, 1_000, 5_000, 60_000))) {
            PeerFailureException e = assertThrows(PeerFailureException.class, () -> echo(pool));
            assertEquals("NOBODY at 127.0.0.1:1: connection refused", e.getMessage());
        }
    }

    @Test
    void concurrentCallersShareABoundedPool() throws Exception {
        AtomicInteger maxInUse = new AtomicInteger();
        // Callers meet in pairs while they hold an association: both are in use at once, on an event, not a pause.
        CyclicBarrier pair = new CyclicBarrier(2);
        try (AssociationPool pool = new AssociationPool(orthanc(2, 10_000, 5_000))) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(threads.submit(() -> pool.execute(association -> {
                    association.echo();
                    await(pair);
                    maxInUse.accumulateAndGet(pool.stats().inUse(), Math::max);
                    return null;
                })));
            }
            for (Future<?> call : calls) {
                call.get();
            }
            assertEquals(2, maxInUse.get(), "8 callers on a pool of 2 use both associations, never more");
            assertEquals(2, pool.stats().open());
        }
    }

    @Test
    void waitersAreCountedAndTimeOut() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AssociationPool pool = new AssociationPool(orthanc(1, 300, 5_000))) {
            Future<?> holder = threads.submit(() -> pool.execute(association -> {
                association.echo();
                holding.countDown();
                await(release);
                return null;
            }));
            assertTrue(holding.await(10, TimeUnit.SECONDS), "the holder got an association (is Orthanc up?)");
            Future<?> waiter = threads.submit(() -> echo(pool));
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                while (pool.stats().waiting() != 1) {
                    Thread.sleep(5);
                }
            });
            PeerTimeoutException e = assertThrows(PeerTimeoutException.class, () -> unwrap(waiter));
            assertEquals("ORTHANC: all 1 associations busy for 300 ms", e.getMessage());
            release.countDown();
            holder.get();
            assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pool.stats());
        }
    }

    @Test
    void idleAssociationsAreReleasedAfterTheIdleTimeout() throws Exception {
        try (AssociationPool pool = new AssociationPool(
                ae("ORTHANC", TestPeers.ORTHANC_PORT, 2, 1_000, 5_000, 100))) {
            echo(pool);
            pool.evictIdle();
            assertEquals(1, pool.stats().idle(), "not idle long enough yet");
            Thread.sleep(150);
            pool.evictIdle();
            assertEquals(0, pool.stats().open());
        }
    }

    @Test
    void aHungPeerTimesOutAndItsAssociationIsNotReused() {
        try (AssociationPool pool = new AssociationPool(orthanc(2, 1_000, 1_500))) {
            DimseAssociation before = echo(pool);
            TestPeers.freeze("orthanc");
            PeerTimeoutException e = assertThrows(PeerTimeoutException.class, () -> echo(pool));
            assertEquals("ORTHANC at 127.0.0.1:14242: no answer to C-ECHO within 1500 ms", e.getMessage());
            assertEquals(0, pool.stats().open(), "the timed-out association was aborted");
            TestPeers.thaw("orthanc");
            assertNotSame(before, echo(pool));
        }
    }

    @Test
    void anIdleAssociationClosedByARestartedPeerIsReplaced() {
        try (AssociationPool pool = new AssociationPool(orthanc(2, 1_000, 5_000))) {
            DimseAssociation before = echo(pool);
            TestPeers.stop("orthanc");
            TestPeers.start("orthanc");
            assertNotSame(before, echo(pool), "a new association after the restart, and no error");
            assertEquals(1, pool.stats().open());
        }
    }

    @Test
    void closingThePoolUnblocksCallersWaitingOnAPeer() throws Exception {
        AssociationPool pool = new AssociationPool(orthanc(2, 1_000, 30_000));
        echo(pool);
        TestPeers.freeze("orthanc");
        Future<?> blocked = threads.submit(() -> echo(pool));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            while (pool.stats().inUse() != 1) {
                Thread.sleep(5);
            }
        });
        pool.close();
        assertThrows(PeerFailureException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> unwrap(blocked)));
        assertEquals(0, pool.stats().open());
    }

    /** A configuration reload retires a pool: what runs on it ends there, nothing new starts, and it empties. */
    @Test
    void aRetiredPoolLetsAnOperationUnderWayEndOnItsAssociation() {
        AssociationPool pool = new AssociationPool(orthanc(2, 1_000, 5_000));
        try (AssociationPool.Lease underWay = pool.lease()) {
            DimseAssociation idle = echo(pool); // a second association, given back idle
            assertEquals(2, pool.stats().open());

            pool.retire();

            assertEquals(1, pool.stats().open(), "the idle one released at once");
            assertFalse(idle.isUsable(), "released");
            underWay.association().echo(); // the operation under way goes on on its association
            PeerFailureException refused = assertThrows(PeerFailureException.class, () -> echo(pool));
            assertTrue(refused.getMessage().contains("configuration reload"), refused.getMessage());
            assertFalse(pool.isDrained());
        }
        assertEquals(0, pool.stats().open(), "given back: released, not kept");
        assertTrue(pool.isDrained());
    }

    private static void unwrap(Future<?> future) throws Throwable {
        try {
            future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("the other caller of the pair never came", e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS), "released within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
