package org.dicomweb.gateway.web.metrics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

import org.dicomweb.gateway.access.RequestTarget;

/**
 * What is measured of one HTTP request: when it arrived, its target and the body bytes read from the client (from
 * {@link MeasurementFilter}), and those written to it as Undertow (WildFly's web server) counts them on its exchange:
 * the response body's bytes before any chunked encoding, whoever wrote them (a JAX-RS entity, an error body, a
 * streamed retrieval on another thread). Made by {@link MeteredRequests} on the request's own thread, where the
 * exchange is at hand. Its fields are volatile: the body may be read, and the request reported, on other threads.
 */
final class Measurement {

    static final String ATTRIBUTE = Measurement.class.getName();

    private final long startNanos = System.nanoTime();
    private final HttpServerExchange exchange;
    private volatile RequestTarget target;
    private volatile long received;

    Measurement() {
        ServletRequestContext context = ServletRequestContext.current();
        exchange = context == null ? null : context.getExchange();
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** The exchange the request arrived on (null outside Undertow). */
    HttpServerExchange exchange() {
        return exchange;
    }

    void target(RequestTarget target) {
        this.target = target;
    }

    /** Null for a request JAX-RS never saw. */
    RequestTarget target() {
        return target;
    }

    long received() {
        return received;
    }

    long sent() {
        return exchange == null ? 0 : exchange.getResponseBytesSent();
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
}
