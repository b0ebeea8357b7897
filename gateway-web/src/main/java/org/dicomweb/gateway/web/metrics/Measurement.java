package org.dicomweb.gateway.web.metrics;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What is measured of one HTTP request: when it arrived, and the body bytes read from and written to the client.
 * Made by {@link MeteredRequests} (kept as a request attribute), counted by {@link MeteredBodies}. The counts are
 * volatile: a body is written on another thread than the one that reports it at the request's end.
 */
final class Measurement {

    static final String ATTRIBUTE = Measurement.class.getName();

    private final long startNanos = System.nanoTime();
    private volatile long received;
    private volatile long sent;

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    long received() {
        return received;
    }

    long sent() {
        return sent;
    }

    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    received++;
                }
                return b;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                int n = super.read(bytes, offset, length);
                if (n > 0) {
                    received += n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n); // read from the client all the same
                received += skipped;
                return skipped;
            }
        };
    }

    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                sent++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length); // not FilterOutputStream's: it writes byte by byte
                sent += length;
            }
        };
    }
}
