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
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        };
    }

    /** A held slot; closing it frees it (once, however often it is closed). */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
