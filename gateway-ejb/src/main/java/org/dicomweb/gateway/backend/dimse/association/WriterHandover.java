package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The hand-over of a running DIMSE operation from the thread that holds its association to the thread that writes
 * its results to the client: the DIMSE thread keeps the association until the writer is done, and cancels the
 * operation if no writer comes (the response was never sent, e.g. the client left before it). Either a writer claims
 * the results or they are abandoned, never both, so only one thread ever works on the association.
 */
public final class WriterHandover {

    private static final Logger LOG = Logger.getLogger(WriterHandover.class.getName());

    private enum State { WAITING, CLAIMED, ABANDONED }

    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
    /** Opens when the results are claimed or abandoned. */
    private final CountDownLatch decided = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final WriterProgress progress = new WriterProgress();
    private final String what;
    private final Runnable cancel;
    private final Runnable abort;

    /**
     * {@code cancel} stops the DIMSE operation (C-CANCEL) and {@code abort} aborts its association (for a writer that
     * may be in the middle of an exchange); neither may throw.
     */
    public WriterHandover(String what, Runnable cancel, Runnable abort) {
        this.what = what;
        this.cancel = cancel;
        this.abort = abort;
    }

    /**
     * On the DIMSE thread, once the results were handed over: returns when the writer is done, when nobody claimed
     * them within {@code claimTimeoutMs}, or when the writer wrote nothing to its client for {@code stallTimeoutMs}
     * (a client that stopped reading, if Undertow's write timeout did not end it first). The association is then
     * aborted: the writer's next DIMSE step fails at once, and the PACS has its association back.
     */
    public void awaitWriter(long claimTimeoutMs, long stallTimeoutMs) {
        try {
            if (!decided.await(claimTimeoutMs, TimeUnit.MILLISECONDS)) {
                abandon();
            }
            if (!progress.awaitWhileProgressing(finished, stallTimeoutMs)) {
                LOG.warning(what + ": the client took nothing for " + stallTimeoutMs
                        + " ms; aborting the association (gateway.stalled-client-timeout-ms)");
                abort.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!abandon()) {
                abort.run();
            }
        }
    }

    /** The writer starts; it fails if the results were abandoned already (their operation is cancelled). */
    public void claim() throws IOException {
        if (!state.compareAndSet(State.WAITING, State.CLAIMED)) {
            throw new IOException(what + ": the results were abandoned before the response was written");
        }
        decided.countDown();
    }

    /** Where the writer counts what its client took. */
    public WriterProgress progress() {
        return progress;
    }

    /** The writer is done (or there was nothing to write): the association can go back to its pool. */
    public void finished() {
        finished.countDown();
    }

    /** Cancels the operation unless a writer claimed it; true if this call did. */
    public boolean abandon() {
        if (!state.compareAndSet(State.WAITING, State.ABANDONED)) {
            return false;
        }
        decided.countDown();
        cancel.run();
        finished.countDown();
        return true;
    }
}
