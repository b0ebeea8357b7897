package org.dicomweb.gateway.dimse;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The hand-over of a running DIMSE operation from the thread that holds its association to the thread that writes
 * its results to the client: the DIMSE thread keeps the association until the writer is done, and cancels the
 * operation if no writer comes (the response was never sent, e.g. the client left before it).
 */
final class WriterHandover {

    private final CountDownLatch claimed = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Runnable cancel;

    /** {@code cancel} stops the DIMSE operation (C-CANCEL) and must not throw. */
    WriterHandover(Runnable cancel) {
        this.cancel = cancel;
    }

    /** On the DIMSE thread, once the results were handed over. */
    void awaitWriter(long claimTimeoutMs) {
        try {
            if (!claimed.await(claimTimeoutMs, TimeUnit.MILLISECONDS)) {
                abandon();
            }
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel.run();
        }
    }

    /** The writer starts. */
    void claim() {
        claimed.countDown();
    }

    /** The writer is done (or there was nothing to write): the association can go back to its pool. */
    void finished() {
        finished.countDown();
    }

    void abandon() {
        claimed.countDown();
        cancel.run();
        finished.countDown();
    }
}
