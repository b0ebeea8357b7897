package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.micrometer.core.instrument.Counter;

import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;

/**
 * A STOW-RS upload body (chunked, its length unknown) written into the upstream connection by the thread that reads
 * the client's upload, as it reads it: no copy, no buffer between the two, and the upload goes at the upstream's pace
 * (a write returns once the connection took it). The HTTP client's exchange thread hands the connection's stream over
 * in {@link #writeTo} and stays there until the upload is complete, watching it: a write that the upstream has not
 * taken for {@code writeTimeoutMs} (a socket write has no timeout of its own), and a client that sent nothing for
 * {@code idleTimeoutMs}, end the exchange (its connection is closed, which frees a write blocked on it).
 */
final class UploadBody extends AbstractHttpEntity {

    /** The writer's failure when the upstream side is gone or stalled (not the client's body failing). */
    static final class UpstreamGone extends IOException {
        /** The upstream is there but took nothing for the write timeout (rather than having ended the exchange). */
        final boolean stalled;

        UpstreamGone(String message, boolean stalled, Throwable cause) {
            super(message, cause);
            this.stalled = stalled;
        }
    }

    /** {@link #end} of an upload that is complete (any other value says why it broke off). */
    private static final String COMPLETE = "complete";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final String upstream;
    private final long writeTimeoutMs;
    private final long idleTimeoutMs;
    private final long handOverTimeoutMs;
    /** Told the bytes of each write the connection took. */
    private final Counter sent;
    /** The connection's stream, from {@link #writeTo} until the exchange is over. */
    private OutputStream connection;
    private boolean writing;
    private long lastChangeNs = System.nanoTime();
    /** Set when the upload is complete ({@link #COMPLETE}) or broke off (why). */
    private String end;
    private boolean stalled;
    private boolean exchangeOver;

    /**
     * {@code handOverTimeoutMs} bounds the wait for the connection (the exchange connecting, or waiting for a pooled
     * connection).
     */
    UploadBody(String contentType, String upstream, long writeTimeoutMs, long idleTimeoutMs, long handOverTimeoutMs,
            Counter sent) {
        super(contentType, null, true);
        this.sent = sent;
        this.upstream = upstream;
        this.writeTimeoutMs = writeTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.handOverTimeoutMs = handOverTimeoutMs;
    }

    /** The upload, written on the caller's thread straight into the connection. */
    final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            OutputStream out = beginWrite();
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                boolean timedOut = endWrite();
                throw timedOut ? new UpstreamGone(upstream + " took none of the upload for " + writeTimeoutMs
                        + " ms (read-timeout-ms)", true, e)
                        : new UpstreamGone(upstream + " stopped reading the upload", false, e);
            }
            endWrite();
            sent.increment(length);
        }
    };

    /** The upload is complete: the exchange goes on to the upstream's answer. */
    void finish() {
        signal(COMPLETE);
    }

    /** The upload broke: the exchange ends without the last chunk, so the upstream sees a cut body. */
    void fail(String why) {
        signal(why);
    }

    /** The exchange has ended (answered, or failed): a writer waiting for the connection fails at once. */
    void exchangeOver() {
        lock.lock();
        try {
            exchangeOver = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signal(String why) {
        lock.lock();
        try {
            if (end == null) {
                end = why;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private OutputStream beginWrite() throws IOException {
        lock.lock();
        try {
            long waitNs = TimeUnit.MILLISECONDS.toNanos(handOverTimeoutMs);
            while (connection == null && !exchangeOver && end == null) {
                if (waitNs <= 0) {
                    throw new UpstreamGone("no connection to " + upstream + " to send the upload on within "
                            + handOverTimeoutMs + " ms", true, null);
                }
                waitNs = changed.awaitNanos(waitNs);
            }
            if (connection == null || exchangeOver || end != null) {
                throw new UpstreamGone(upstream + " stopped reading the upload", stalled, null);
            }
            writing = true;
            lastChangeNs = System.nanoTime();
            changed.signalAll();
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamGone("interrupted while sending the upload to " + upstream, true, e);
        } finally {
            lock.unlock();
        }
    }

    /** True if the exchange was ended because this write took too long. */
    private boolean endWrite() {
        lock.lock();
        try {
            writing = false;
            lastChangeNs = System.nanoTime();
            changed.signalAll();
            return stalled;
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the exchange's thread: hands {@code out} over to the writer and watches the upload until it is complete.
     * Throwing ends the exchange, and the client then closes the connection.
     */
    @Override
    public void writeTo(OutputStream out) throws IOException {
        lock.lock();
        try {
            connection = out;
            lastChangeNs = System.nanoTime();
            changed.signalAll();
            while (end == null) {
                long limitMs = writing ? writeTimeoutMs : idleTimeoutMs;
                long leftNs = lastChangeNs + TimeUnit.MILLISECONDS.toNanos(limitMs) - System.nanoTime();
                if (leftNs <= 0) {
                    if (writing) {
                        stalled = true;
                        throw new SocketTimeoutException(upstream + " took none of the upload for " + writeTimeoutMs
                                + " ms (read-timeout-ms)");
                    }
                    throw new IOException("the client sent none of its upload for " + idleTimeoutMs + " ms");
                }
                changed.awaitNanos(leftNs);
            }
            // A write may be under way still when the upload failed: the connection is closed under it.
            if (!end.equals(COMPLETE)) {
                throw new IOException(end);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending the upload to " + upstream, e);
        } finally {
            connection = null;
            lock.unlock();
        }
    }

    @Override
    public InputStream getContent() {
        throw new UnsupportedOperationException("an upload written as it is read has no content stream");
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public boolean isRepeatable() {
        return false;
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    @Override
    public void close() {
    }
}
