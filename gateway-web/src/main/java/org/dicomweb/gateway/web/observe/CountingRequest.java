package org.dicomweb.gateway.web.observe;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body bytes are counted as whoever reads them (JAX-RS, a STOW-RS upload's parser) reads them: nothing
 * is buffered or copied, every call goes straight to the server's own stream, non-blocking reads included. Undertow
 * counts the response's bytes itself, but not the request's.
 */
final class CountingRequest extends HttpServletRequestWrapper {

    private final AtomicLong received = new AtomicLong();
    private ServletInputStream in;

    CountingRequest(HttpServletRequest request) {
        super(request);
    }

    long received() {
        return received.get();
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
        if (in == null) {
            in = new CountingInput(super.getInputStream(), received);
        }
        return in;
    }

    /** Only the reads are overridden: skip, readAllBytes and readLine go through them, so they count too. */
    private static final class CountingInput extends ServletInputStream {
        private final ServletInputStream in;
        private final AtomicLong count;

        CountingInput(ServletInputStream in, AtomicLong count) {
            this.in = in;
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
