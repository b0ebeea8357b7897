package org.dicomweb.gateway.web.studies;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.StreamingOutput;

import org.dicomweb.gateway.web.observe.RequestFacts;

/**
 * The response bodies of one request that hold something (a cache lease, an open file, an association): each is
 * either written or released, exactly once, whichever comes first. JAX-RS does not always write a response's entity:
 * not when an exception mapper replaces the response, nor when the stage completes after the request has ended
 * (timed out). So every body not written by the end of its request is released then, by
 * {@link AtRequestEnd}; a body made after that end is released at once. The body of a HEAD is never written (JAX-RS
 * would write it, for nothing: the whole retrieval would run): it too is released at the request's end.
 */
final class ResponseBodies {

    private static final String ATTRIBUTE = ResponseBodies.class.getName();
    private static final Logger LOG = Logger.getLogger(ResponseBodies.class.getName());

    private final List<Body> bodies = new ArrayList<>();
    private final boolean head;
    private final ConnectionAbort abort;
    private final RequestFacts audit;
    private boolean ended;

    private ResponseBodies(boolean head, ConnectionAbort abort, RequestFacts audit) {
        this.head = head;
        this.abort = abort;
        this.audit = audit;
    }

    /** What a body writes; it releases what it holds itself, written or failed. */
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The bodies of {@code request}: call on the request's own thread, before its stage completes. */
    static ResponseBodies of(HttpServletRequest request) {
        ResponseBodies bodies = (ResponseBodies) request.getAttribute(ATTRIBUTE);
        if (bodies == null) {
            bodies = new ResponseBodies("HEAD".equals(request.getMethod()), ConnectionAbort.of(request),
                    RequestFacts.of(request));
            request.setAttribute(ATTRIBUTE, bodies);
        }
        return bodies;
    }

    /** An entity that writes with {@code writer}, unless {@code release} ran first (the request ended unwritten). */
    StreamingOutput body(Writer writer, Runnable release) {
        Body body = new Body(writer, release, head, abort, audit);
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
        private final boolean head;
        private final ConnectionAbort abort;
        private final RequestFacts audit;

        Body(Writer writer, Runnable release, boolean head, ConnectionAbort abort, RequestFacts audit) {
            this.writer = writer;
            this.release = release;
            this.head = head;
            this.abort = abort;
            this.audit = audit;
        }

        @Override
        public void write(OutputStream out) throws IOException {
            if (head) {
                return; // left to the request's end, as any body not written
            }
            if (!taken.compareAndSet(false, true)) {
                throw new IOException("the response body was released: its request had ended before it was written");
            }
            abort.bodyStarts();
            try {
                writer.writeTo(out);
            } catch (IOException | RuntimeException e) {
                abort.abort(); // before the server could end the body as if it were complete
                audit.cutOff();
                throw e;
            }
            abort.bodyComplete();
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

    /** Ends the bodies when the async request they belong to is over, however it ended. */
    private AsyncListener atAsyncEnd() {
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                end();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                end();
            }

            @Override
            public void onError(AsyncEvent event) {
                end();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this); // a new async cycle: listeners must be added again
            }
        };
    }

    /**
     * Releases the bodies of each request once it is over: at once for a request answered within its dispatch, when
     * its async context ends for one answered later (a CompletionStage resource). Not a ServletRequestListener: in
     * WildFly 37 requestDestroyed comes when the first dispatch returns, before an async response is written.
     */
    @WebFilter(urlPatterns = "/*", asyncSupported = true)
    public static final class AtRequestEnd implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                if (request.getAttribute(ATTRIBUTE) instanceof ResponseBodies bodies) {
                    if (request.isAsyncStarted()) {
                        // Added within the dispatch, as the Servlet spec requires: it fires even if the stage already
                        // completed the async context (Undertow defers that to the dispatch's end).
                        request.getAsyncContext().addListener(bodies.atAsyncEnd());
                    } else {
                        bodies.end();
                    }
                }
            }
        }
    }
}
