package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream response body as an InputStream whose every read waits at most the AE's read timeout for the next
 * bytes: the JDK client's own {@code ofInputStream()} blocks for ever on a stalled upstream. It asks the client for one
 * batch of buffers at a time, so at most two batches are held however slowly the body is consumed (back-pressure on
 * the upstream connection). Closing it early cancels the body, which closes the connection.
 */
final class TimedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final String upstream;
    private final long readTimeoutMs;
    /** Batches of buffers, END, or the Throwable the body failed with. */
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private Iterator<ByteBuffer> batch = List.<ByteBuffer>of().iterator();
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;
    private volatile boolean closed;

    TimedBody(String upstream, long readTimeoutMs) {
        this.upstream = upstream;
        this.readTimeoutMs = readTimeoutMs;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (closed) {
            subscription.cancel(); // closed before the client subscribed it
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrived.add(buffers);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

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
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.remaining());
        current.get(bytes, offset, n);
        return n;
    }

    @Override
    public int available() {
        return current.remaining();
    }

    /** Makes {@code current} non-empty; false at the end of the body. */
    private boolean fill() throws IOException {
        while (!current.hasRemaining()) {
            if (batch.hasNext()) {
                current = batch.next();
                continue;
            }
            if (ended) {
                return false;
            }
            if (closed) {
                throw new IOException("body of " + upstream + " closed");
            }
            Object next;
            try {
                next = arrived.poll(readTimeoutMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while reading from " + upstream, e);
            }
            if (next == null) {
                close();
                throw new SocketTimeoutException(upstream + " sent nothing for " + readTimeoutMs + " ms (read-timeout-ms)");
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable failure) {
                ended = true;
                throw failure instanceof IOException io ? io : new IOException(upstream + ": " + failure, failure);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) next;
                batch = buffers.iterator();
                subscription.request(1);
            }
        }
        return true;
    }

    /** Cancels the rest of the body unless it was read to its end (the connection can then be reused). */
    @Override
    public void close() {
        if (!closed && !ended && subscription != null) {
            subscription.cancel();
        }
        closed = true;
        arrived.clear();
    }
}
