package org.dicomweb.gateway.web.metrics;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletResponse;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.RequestMetrics;

/**
 * Measures each request from its arrival to its end and hands the numbers to {@link RequestMetrics}: at the end of its
 * dispatch for a request answered within it, when its async context completes (the body written or failed) for one
 * answered later by a CompletionStage or an AsyncResponse. A servlet filter rather than JAX-RS filters, because only
 * the servlet request knows when an async response's body has been written, and every request passes it once. The
 * target is the one RequestTargetFilter parsed (a servlet attribute, as every JAX-RS property): a request JAX-RS never
 * saw has none and is not counted.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class MeteredRequests implements Filter {

    @Inject
    RequestMetrics metrics;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Measurement measurement = new Measurement();
        request.setAttribute(Measurement.ATTRIBUTE, measurement);
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                // Added within the dispatch, as the Servlet spec requires (see ResponseBodies.AtRequestEnd).
                request.getAsyncContext().addListener(new AtAsyncEnd(measurement, request, response));
            } else {
                report(measurement, request, response);
            }
        }
    }

    private void report(Measurement measurement, ServletRequest request, ServletResponse response) {
        if (request.getAttribute(RequestTarget.PROPERTY) instanceof RequestTarget target) {
            metrics.answered(target, ((HttpServletResponse) response).getStatus(), measurement.elapsedNanos(),
                    measurement.received(), measurement.sent());
        }
    }

    /** Reports once, on completion: a timeout or an error is followed by the completion the container makes. */
    private final class AtAsyncEnd implements AsyncListener {
        private final Measurement measurement;
        private final ServletRequest request;
        private final ServletResponse response;

        AtAsyncEnd(Measurement measurement, ServletRequest request, ServletResponse response) {
            this.measurement = measurement;
            this.request = request;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            report(measurement, request, response);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // the completion follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // the completion follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a new async cycle: listeners must be added again
        }
    }
}
