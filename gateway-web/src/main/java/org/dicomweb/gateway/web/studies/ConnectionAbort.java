package org.dicomweb.gateway.web.studies;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;

import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * Ends a request's connection without ending its response: for a body that failed after it started (the PACS or the
 * store failed mid-retrieval). Left to itself the server ends a chunked body with its last chunk, and a client that
 * does not parse the multipart closing delimiter would take the cut body for a complete one; with the connection
 * closed first, every HTTP client sees the transfer fail. The Servlet API has no abort, hence Undertow's (WildFly's
 * web server) own exchange, captured on the request's thread since the body may be written on another.
 */
final class ConnectionAbort {

    private final HttpServerExchange exchange;

    private ConnectionAbort(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    /** Call on the request's own thread. */
    static ConnectionAbort of(HttpServletRequest request) {
        ServletRequestContext context = ServletRequestContext.current();
        return new ConnectionAbort(context == null ? null : context.getExchange());
    }

    void abort() {
        if (exchange != null) {
            try {
                exchange.getConnection().close();
            } catch (IOException e) {
                // closing is all that was asked; the connection is gone either way
            }
        }
    }
}
