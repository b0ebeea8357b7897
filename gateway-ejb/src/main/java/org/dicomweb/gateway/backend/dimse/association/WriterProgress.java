package org.dicomweb.gateway.backend.dimse.association;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the writes a client took, so that a wait on its writer can tell a long transfer (which it must not cut)
 * from a client that stopped reading (whose PACS association must be given back).
 */
public final class WriterProgress {

    private final AtomicLong writes = new AtomicLong();

    /** {@code out}, each write counted once it returned (the client's connection took it). */
    public OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                writes.incrementAndGet();
            }
        };
    }

    /** A write that went past {@link #counting} (e.g. a whole JSON object). */
    public void advanced() {
        writes.incrementAndGet();
    }

    /**
     * Waits until {@code done} opens (true), or until a whole {@code stallMs} passed without a write (false): the wait
     * lasts as long as the transfer progresses, never longer than {@code stallMs} after its last write.
     */
    public boolean awaitWhileProgressing(CountDownLatch done, long stallMs) throws InterruptedException {
        long seen = writes.get();
        while (!done.await(stallMs, TimeUnit.MILLISECONDS)) {
            long now = writes.get();
            if (now == seen) {
                return false;
            }
            seen = now;
        }
        return true;
    }
}
