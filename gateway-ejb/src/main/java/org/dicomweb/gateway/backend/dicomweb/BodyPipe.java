package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded byte pipe from the thread reading a STOW-RS upload to the HTTP client sending it upstream: a full pipe
 * blocks the writer (the upload slows to the upstream's pace, nothing piles up), and every wait has a deadline, which
 * {@link java.io.PipedInputStream} lacks: a writer whose upstream took nothing for {@code writeTimeoutMs}, and a reader
 * whose client sent nothing for {@code readTimeoutMs}, fail.
 */
final class BodyPipe {

    /** The writer's failure when the upstream side is gone or stalled (not the client's body failing). */
    static final class UpstreamGone extends IOException {
        /** The upstream is there but took nothing for the write timeout (rather than having ended the exchange). */
        final boolean stalled;

        UpstreamGone(String message, boolean stalled) {
            super(message);
            this.stalled = stalled;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final byte[] ring;
    private final String upstream;
    private final long writeTimeoutMs;
    private final long readTimeoutMs;
    private int head;
    private int count;
    private boolean writerDone;
    private String writerFailure;
    private boolean readerGone;

    BodyPipe(int size, String upstream, long writeTimeoutMs, long readTimeoutMs) {
        this.ring = new byte[size];
        this.upstream = upstream;
        this.writeTimeoutMs = writeTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            lock.lock();
            try {
                while (length > 0) {
                    long waitNs = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMs);
                    while (count == ring.length && !readerGone) {
                        if (waitNs <= 0) {
                            throw new UpstreamGone(upstream + " took none of the upload for " + writeTimeoutMs
                                    + " ms (read-timeout-ms)", true);
                        }
                        waitNs = changed.awaitNanos(waitNs);
                    }
                    if (readerGone) {
                        throw new UpstreamGone(upstream + " stopped reading the upload", false);
                    }
                    int tail = (head + count) % ring.length;
                    int n = Math.min(length, Math.min(ring.length - count, ring.length - tail));
                    System.arraycopy(bytes, offset, ring, tail, n);
                    count += n;
                    offset += n;
                    length -= n;
                    changed.signalAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamGone("interrupted while sending the upload to " + upstream, true);
            } finally {
                lock.unlock();
            }
        }
    };

    final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            lock.lock();
            try {
                long waitNs = TimeUnit.MILLISECONDS.toNanos(readTimeoutMs);
                while (count == 0) {
                    if (writerFailure != null) {
                        throw new IOException(writerFailure);
                    }
                    if (writerDone) {
                        return -1;
                    }
                    if (waitNs <= 0) {
                        throw new IOException("the client sent none of its upload for " + readTimeoutMs + " ms");
                    }
                    waitNs = changed.awaitNanos(waitNs);
                }
                int n = Math.min(length, Math.min(count, ring.length - head));
                System.arraycopy(ring, head, bytes, offset, n);
                head = (head + n) % ring.length;
                count -= n;
                changed.signalAll();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the upload", e);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            readerGone();
        }
    };

    /** The upload is complete: the reader gets the rest, then the end. */
    void finish() {
        signal(() -> writerDone = true);
    }

    /** The upload broke: the reader fails (the upstream sees a cut body), after the bytes before are gone or not. */
    void fail(String why) {
        signal(() -> writerFailure = why);
    }

    /** The upstream side is done with the body (answered, or failed): a writer waiting fails at once. */
    void readerGone() {
        signal(() -> readerGone = true);
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
