package org.dicomweb.gateway.backend.dimse;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * A bound on how many operations of one kind run at once against one PACS (max-concurrent-stores, ...), whichever
 * association each uses: a caller waits at most the AE's pool-wait timeout for a slot.
 */
public final class OperationSlots {

    private final RemoteAe ae;
    private final String what;
    private final int count;
    private final Semaphore permits;

    OperationSlots(RemoteAe ae, String what, int count) {
        this.ae = ae;
        this.what = what;
        this.count = count;
        this.permits = new Semaphore(count, true);
    }

    /** A slot, held until the returned slot is closed. */
    public Slot acquire() {
        try {
            if (!permits.tryAcquire(ae.poolWaitTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new PeerTimeoutException(ae.aet() + ": all " + count + " " + what + " busy for "
                        + ae.poolWaitTimeoutMs() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerTimeoutException(ae.aet() + ": interrupted while waiting for one of " + count + " " + what,
                    e);
        }
        return permits::release;
    }

    /** A held slot; closing it frees it. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
