package org.dicomweb.gateway.web.observe;

import java.security.Principal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.undertow.server.HttpServerExchange;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.web.cors.CorsFilter;

/**
 * One request being observed. It ends twice, in either order and on different threads: its first dispatch returns
 * (the principal, the target and whether it was a CORS preflight are known then; {@link #dispatched}) and its
 * exchange completes (the status and the bytes sent are final then; {@link #completed}). Whichever comes second hands
 * the {@link ObservedRequest} over, exactly once. What the servlet request knows is copied at arrival and at the
 * dispatch's return: by the exchange's completion the request may have been recycled.
 */
final class Observation {

    private final AtomicInteger ends = new AtomicInteger(2);
    private final Consumer<ObservedRequest> observed;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final CountingRequest request;
    private final RequestFacts facts;
    private final String clientAddress;
    private final String gatewayUrl;
    private final String gatewayAddress;
    private final String method;
    private final String path;
    private final String query;
    // set by dispatched(), read by whichever end comes second (ends orders them)
    private String user;
    private RequestTarget target;
    private boolean preflight;
    private boolean failedAfterCommit;
    // set by completed()
    private long durationNanos;
    private int status;
    private long bytesOut;
    private boolean shortOfLength;

    Observation(HttpServletRequest request, Consumer<ObservedRequest> observed) {
        this.observed = observed;
        this.request = new CountingRequest(request);
        this.facts = RequestFacts.attachTo(request);
        String context = request.getContextPath();
        this.clientAddress = request.getRemoteAddr();
        this.gatewayUrl = request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
                + context;
        this.gatewayAddress = request.getLocalAddr();
        this.method = request.getMethod();
        this.path = request.getRequestURI().substring(context.length());
        this.query = request.getQueryString();
    }

    /** The request to pass down the chain: its body bytes are counted. */
    HttpServletRequest request() {
        return request;
    }

    /** The first dispatch returned; {@code failed}: with an exception, which Undertow answers with a 500. */
    void dispatched(HttpServletRequest dispatched, HttpServletResponse response, boolean failed) {
        Principal principal = dispatched.getUserPrincipal();
        user = principal == null ? ObservedRequest.ANONYMOUS : principal.getName();
        // set by RequestTargetFilter; a request refused before JAX-RS saw it has none
        target = dispatched.getAttribute(RequestTarget.PROPERTY) instanceof RequestTarget parsed ? parsed : null;
        preflight = CorsFilter.isPreflight(dispatched); // CorsFilter marks one as it answers it
        failedAfterCommit = failed && response.isCommitted();
        ended();
    }

    /** The exchange completed: the response's last byte is written, or writing it failed. */
    void completed(HttpServerExchange exchange) {
        durationNanos = System.nanoTime() - startNanos;
        status = exchange.getStatusCode();
        bytesOut = exchange.getResponseBytesSent(); // the body's bytes, before any chunked encoding
        long promised = exchange.getResponseContentLength(); // -1: not declared
        shortOfLength = !"HEAD".equals(method) && promised >= 0 && bytesOut < promised;
        ended();
    }

    private void ended() {
        if (ends.decrementAndGet() != 0) {
            return;
        }
        // cut off: the client has less than the response promised, whichever way the body failed after it started
        boolean cutOff = facts.isCutOff() || failedAfterCommit || shortOfLength;
        observed.accept(new ObservedRequest(start, durationNanos, user, clientAddress, gatewayUrl, gatewayAddress,
                method, path, query, target, preflight, status, cutOff, request.received(), bytesOut,
                facts.instances(), facts.matches(), facts.studies()));
    }
}
