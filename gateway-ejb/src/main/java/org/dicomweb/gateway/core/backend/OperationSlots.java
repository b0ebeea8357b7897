package org.dicomweb.gateway.core.backend;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.dicomweb.gateway.error.GatewayException;

/**
 * A bound on how many operations of one kind run at once against one peer (a PACS's max-concurrent-stores, an
 * upstream's max-concurrent-requests), whatever connection each uses: a caller waits at most {@code waitMs} for a
 * slot, then gets the exception its backend reports a full peer with.
 */
public final class OperationSlots {

    /** The backend's outcome for "no slot freed in time" (DIMSE: 504, the PACS is slow; DICOMweb: 503). */
    @FunctionalInterface
    public interface Busy {
        GatewayException exception(String reason, Throwable cause);
    }

    private final String aet;
    private final String what;
    private final int count;
    private final long waitMs;
    private final Busy busy;
    private final Semaphore permits;
    /** Slots held now; guarded by this, which {@link #awaitIdle} waits on. */
    private int held;

    public OperationSlots(String aet, String what, int count, long waitMs, Busy busy) {
        this.aet = aet;
        this.what = what;
        this.count = count;
        this.waitMs = waitMs;
        this.busy = busy;
        this.permits = new Semaphore(count, true);
    }

    /** A slot, held until the returned slot is closed. */
    public Slot acquire() {
        try {
            if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw busy.exception(aet + ": all " + count + " " + what + " busy for " + waitMs + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy.exception(aet + ": interrupted while waiting for one of " + count + " " + what, e);
        }
        synchronized (this) {
            held++;
        }
        AtomicBoolean holding = new AtomicBoolean(true);
        return () -> {
            if (holding.compareAndSet(true, false)) {
                synchronized (this) {
                    if (--held == 0) {
                        notifyAll();
                    }
                }
                permits.release();
            }
        };
    }

    /**
     * Waits until no slot is held (a client replaced by a configuration reload is closed then), at most
     * {@code timeoutMs}; false if slots were still held then. New acquirers are not held up meanwhile.
     */
    public synchronized boolean awaitIdle(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (held > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** A held slot; closing it frees it (once, however often it is closed). */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
