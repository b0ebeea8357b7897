package org.dicomweb.gateway.web.studies;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;

import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * Cuts a response whose body failed after it started (the PACS or the store failed mid-retrieval, the client stalled)
 * instead of letting it end: left to itself the server ends a chunked body with its last chunk, and a client that does
 * not parse the multipart closing delimiter would take the cut body for a complete one. Cut, every HTTP client sees the
 * transfer fail: HTTP/1.1 loses its connection, HTTP/2 only its stream (RST_STREAM CANCEL; the connection's other
 * streams go on). The Servlet API has no abort, hence Undertow's (WildFly's web server) own exchange, captured on the
 * request's thread since the body may be written on another.
 * <p>
 * Closing the connection when the writer fails is not enough on HTTP/1.1: Undertow itself ends the body, last chunk
 * and all, before the writer even sees its write fail. Its listener {@code write-timeout} counts from one write to the
 * next (a PACS silent for that long trips it as surely as a client that stopped reading), and on expiry it shuts the
 * connection's writes down, which runs the response's chunked encoding to its end, then closes the connection and
 * fails the write. So every end of the response goes through a guard ({@link EndGuard}), the outermost of the
 * exchange's response conduits: while a body is being written, an end of the response that the body did not declare
 * ({@link #bodyComplete}) cuts it instead.
 */
final class ConnectionAbort {

    private enum State { IDLE, WRITING, COMPLETE, CUT }

    private final HttpServerExchange exchange;
    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

    private ConnectionAbort(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    /** Call on the request's own thread, before anything of its response is written. */
    static ConnectionAbort of(HttpServletRequest request) {
        ServletRequestContext context = ServletRequestContext.current();
        ConnectionAbort abort = new ConnectionAbort(context == null ? null : context.getExchange());
        if (abort.exchange != null) {
            abort.exchange.addResponseWrapper((factory, exchange) -> abort.new EndGuard(factory.create()));
        }
        return abort;
    }

    /** A body starts: until {@link #bodyComplete}, the response may not end except by a cut. */
    void bodyStarts() {
        state.compareAndSet(State.IDLE, State.WRITING);
    }

    /** The body was written to its last byte: the server may end the response (its last chunk, END_STREAM). */
    void bodyComplete() {
        state.compareAndSet(State.WRITING, State.COMPLETE);
    }

    /** Cuts the response: HTTP/1.1 closes its connection, HTTP/2 resets its stream (Undertow's connection per stream). */
    void abort() {
        // once: the writer's failure and then the server's attempt to end the response both come here
        if (state.getAndSet(State.CUT) != State.CUT && exchange != null) {
            try {
                exchange.getConnection().close();
            } catch (IOException | RuntimeException e) {
                // Closing is all that was asked. (Undertow 2.3 cannot reset the stream of the request that upgraded a
                // connection to h2c: a NullPointerException, seen in the server log. The guard still refuses that
                // stream's end, so it is not ended as complete either; how the client then sees it is not measured.)
            }
        }
    }

    private boolean mayEnd() {
        State now = state.get();
        return now == State.IDLE || now == State.COMPLETE;
    }

    /** Lets the response end only if no body is being written, or the body is complete; otherwise cuts it. */
    private final class EndGuard extends AbstractStreamSinkConduit<StreamSinkConduit> {

        EndGuard(StreamSinkConduit next) {
            super(next);
        }

        @Override
        public void terminateWrites() throws IOException {
            if (!mayEnd()) {
                abort();
                throw new IOException("the response body failed before its end: the response is cut, not ended");
            }
            super.terminateWrites();
        }

        // A final write ends the response too: through terminateWrites above, not the next conduit's own shortcut.
        @Override
        public int writeFinal(ByteBuffer src) throws IOException {
            return Conduits.writeFinalBasic(this, src);
        }

        @Override
        public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return Conduits.writeFinalBasic(this, srcs, offset, length);
        }
    }
}
