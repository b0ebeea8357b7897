package org.dicomweb.gateway.web.studies;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * The response bodies of one request that hold something (a cache lease, an open file, an association): each is
 * either written or released, exactly once, whichever comes first. JAX-RS does not always write a response's entity:
 * not for a HEAD, nor when an exception mapper replaces the response, nor when the stage completes after the request
 * has ended (timed out, client gone). So every body not written by the end of its request is released then, by
 * {@link AtRequestEnd}; a body made after that end is released at once.
 */
final class ResponseBodies {

    private static final String ATTRIBUTE = ResponseBodies.class.getName();
    private static final Logger LOG = Logger.getLogger(ResponseBodies.class.getName());

    private final List<Body> bodies = new ArrayList<>();
    private boolean ended;

    /** What a body writes; it releases what it holds itself, written or failed. */
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The bodies of {@code request}: call on the request's own thread, before its stage completes. */
    static ResponseBodies of(ServletRequest request) {
        ResponseBodies bodies = (ResponseBodies) request.getAttribute(ATTRIBUTE);
        if (bodies == null) {
            bodies = new ResponseBodies();
            request.setAttribute(ATTRIBUTE, bodies);
        }
        return bodies;
    }

    /** An entity that writes with {@code writer}, unless {@code release} ran first (the request ended unwritten). */
    StreamingOutput body(Writer writer, Runnable release) {
        Body body = new Body(writer, release);
        boolean late;
        synchronized (this) {
            late = ended;
            if (!late) {
                bodies.add(body);
            }
        }
        if (late) {
            body.release();
        }
        return body;
    }

    private void end() {
        List<Body> unwritten;
        synchronized (this) {
            ended = true;
            unwritten = List.copyOf(bodies);
            bodies.clear();
        }
        unwritten.forEach(Body::release);
    }

    private static final class Body implements StreamingOutput {

        private final AtomicBoolean taken = new AtomicBoolean();
        private final Writer writer;
        private final Runnable release;

        Body(Writer writer, Runnable release) {
            this.writer = writer;
            this.release = release;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            if (!taken.compareAndSet(false, true)) {
                throw new IOException("the response body was released: its request had ended before it was written");
            }
            writer.writeTo(out);
        }

        void release() {
            if (taken.compareAndSet(false, true)) {
                try {
                    release.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "releasing an unwritten response body failed", e);
                }
            }
        }
    }

    /** Releases the bodies of each request that ends (for an async request: once its async context completed). */
    @WebListener
    public static final class AtRequestEnd implements ServletRequestListener {

        @Override
        public void requestDestroyed(ServletRequestEvent event) {
            if (event.getServletRequest().getAttribute(ATTRIBUTE) instanceof ResponseBodies bodies) {
                bodies.end();
            }
        }
    }
}
