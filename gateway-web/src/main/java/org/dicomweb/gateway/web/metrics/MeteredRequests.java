package org.dicomweb.gateway.web.metrics;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletResponse;

import io.undertow.server.HttpServerExchange;

import org.dicomweb.gateway.access.RequestMetrics;
import org.dicomweb.gateway.access.RequestTarget;

/**
 * Measures each request from its arrival to the end of its response and hands the numbers to {@link RequestMetrics}.
 * A servlet filter, because every request passes it once; the end is Undertow's exchange completing, the one moment
 * that comes after the last body byte for every kind of response: written within the dispatch (and flushed only after
 * it), by a CompletionStage or an AsyncResponse later, or cut by a failure. The servlet request may be recycled by
 * then, so everything reported is in the {@link Measurement}. A request JAX-RS never saw has no target and is not
 * counted.
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
        HttpServerExchange exchange = measurement.exchange();
        if (exchange == null) { // not in Undertow: at the dispatch's end, the best there is
            try {
                chain.doFilter(request, response);
            } finally {
                report(measurement, ((HttpServletResponse) response).getStatus());
            }
            return;
        }
        exchange.addExchangeCompleteListener((completed, next) -> {
            try {
                report(measurement, completed.getStatusCode());
            } finally {
                next.proceed();
            }
        });
        chain.doFilter(request, response);
    }

    private void report(Measurement measurement, int status) {
        RequestTarget target = measurement.target();
        if (target != null) {
            metrics.answered(target, status, measurement.elapsedNanos(), measurement.received(), measurement.sent());
        }
    }
}
