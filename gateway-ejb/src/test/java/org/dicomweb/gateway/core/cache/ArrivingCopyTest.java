package org.dicomweb.gateway.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/** A copy followed as it arrives: waits, ends, series complete, failures, deadlines and files kept for readers. */
class ArrivingCopyTest {

    private final ArrivingCopy copy = new ArrivingCopy("study 1.2 from PACS");

    private static CachedInstance instance(String series, String sop) {
        return new CachedInstance(series, sop, "1.2.840.10008.1.2.1", Path.of(series, sop + ".dcm"));
    }

    @Test
    void aReaderWaitsForTheNextInstanceAndSeesTheEnd() throws Exception {
        CompletableFuture<Optional<CachedInstance>> waiting = CompletableFuture.supplyAsync(() -> copy.await(0, null,
                5_000));
        Thread.sleep(50);
        assertFalse(waiting.isDone(), "nothing placed yet");
        CachedInstance first = instance("1.1", "1.1.1");
        copy.placed(first);
        assertSame(first, waiting.get(5, TimeUnit.SECONDS).orElseThrow());
        copy.ended(null);
        assertEquals(Optional.empty(), copy.await(1, null, 5_000));
        assertSame(first, copy.await(0, null, 5_000).orElseThrow(), "what arrived stays readable");
    }

    @Test
    void aCompleteSeriesEndsItsReadersWhileTheStudyGoesOnAndOutlivesALaterFailure() throws Exception {
        copy.placed(instance("1.1", "1.1.1"));
        copy.seriesComplete("1.1");
        copy.placed(instance("1.2", "1.2.1"));
        assertEquals(Optional.empty(), copy.await(1, "1.1", 5_000), "its series is in: no wait for the study");
        copy.ended(new PeerFailureException("PACS: association aborted", null));
        assertEquals("1.1.1", copy.await(0, "1.1", 5_000).orElseThrow().sopInstanceUid());
        assertThrows(PeerFailureException.class, () -> copy.await(0, "1.2", 5_000), "a series not complete fails");
        assertThrows(PeerFailureException.class, () -> copy.await(0, null, 5_000), "and so does the study");
    }

    @Test
    void aReaderGivesUpAtItsDeadlineWithA504() {
        long start = System.nanoTime();
        PeerTimeoutException late = assertThrows(PeerTimeoutException.class, () -> copy.await(0, null, 100));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(100));
        assertTrue(late.getMessage().contains("gateway.cache.arrival-timeout-ms"), late.getMessage());
    }

    @Test
    void aFailedCopyIsDeletedOnlyOnceItsLastReaderIsDone() {
        AtomicBoolean deleted = new AtomicBoolean();
        copy.follow();
        copy.follow();
        copy.discardOnceRead(() -> deleted.set(true));
        copy.unfollow();
        assertFalse(deleted.get(), "one reader still reads");
        copy.unfollow();
        assertTrue(deleted.get());

        AtomicBoolean unread = new AtomicBoolean();
        new ArrivingCopy("another").discardOnceRead(() -> unread.set(true));
        assertTrue(unread.get(), "no reader: deleted at once");
    }

    @Test
    void theSeriesReadersAskForComeNext() {
        assertEquals("1.1", copy.nextSeries(List.of("1.1", "1.2", "1.3")), "none asked: the PACS's order");
        copy.ask("1.3");
        copy.ask("1.2");
        assertEquals("1.3", copy.nextSeries(List.of("1.1", "1.2", "1.3")), "the first asked");
        assertEquals("1.2", copy.nextSeries(List.of("1.1", "1.2")));
    }
}
