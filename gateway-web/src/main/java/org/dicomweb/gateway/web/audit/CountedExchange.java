package org.dicomweb.gateway.web.audit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A request and its response whose body bytes are counted as they pass, in and out, for the audit record: nothing is
 * buffered or copied (each stream hands every call straight to the server's own, non-blocking I/O included). JAX-RS
 * reads and writes bodies through these streams; a body written through {@code getWriter()} (none of the gateway's)
 * would not be counted.
 */
final class CountedExchange {

    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    CountedExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = new HttpServletRequestWrapper(request) {
            private ServletInputStream in;

            @Override
            public synchronized ServletInputStream getInputStream() throws IOException {
                if (in == null) {
                    in = new CountingInput(super.getInputStream(), bytesIn);
                }
                return in;
            }
        };
        this.response = new HttpServletResponseWrapper(response) {
            private ServletOutputStream out;

            @Override
            public synchronized ServletOutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new CountingOutput(super.getOutputStream(), bytesOut);
                }
                return out;
            }
        };
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    long bytesIn() {
        return bytesIn.get();
    }

    long bytesOut() {
        return bytesOut.get();
    }

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

    private static final class CountingOutput extends ServletOutputStream {
        private final ServletOutputStream out;
        private final AtomicLong count;

        CountingOutput(ServletOutputStream out, AtomicLong count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
            count.addAndGet(length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
