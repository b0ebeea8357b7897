package org.dicomweb.gateway.web.observe;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.undertow.servlet.handlers.ServletRequestContext;

/**
 * Observes each HTTP request once, from its arrival to its real end, and hands what it saw to every
 * {@link RequestObserver} (the audit trail, the metrics). A servlet filter, because every request passes it once,
 * including those refused before JAX-RS (a missing token) and those whose body is streamed after the resource returned
 * (a CompletionStage, an AsyncResponse, a StreamingOutput).
 * <p>
 * The end is Undertow's exchange completing, not the servlet AsyncListener's onComplete: the exchange completes after
 * the response's last byte for every kind of response (written within the dispatch and flushed only after it, written
 * by another thread after the async context completed, an error page Undertow writes itself, or cut by a failure),
 * while onComplete may run before a body written after async completion is flushed, and never runs for a request
 * that did not go async. Undertow's own count of the bytes sent is taken for the same reason: it sees every body,
 * whoever wrote it.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ObservingFilter implements Filter {

    private static final Logger LOG = Logger.getLogger(ObservingFilter.class.getName());

    @Inject
    @Any
    Instance<RequestObserver> observers;

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        if (!(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        Observation observation = new Observation(request, this::handOver);
        ServletRequestContext.requireCurrent().getExchange().addExchangeCompleteListener((exchange, next) -> {
            try {
                observation.completed(exchange);
            } finally {
                next.proceed();
            }
        });
        boolean failed = true;
        try {
            chain.doFilter(observation.request(), response);
            failed = false;
        } finally {
            observation.dispatched(request, response, failed);
        }
    }

    private void handOver(ObservedRequest request) {
        for (RequestObserver observer : observers) {
            try {
                observer.ended(request);
            } catch (RuntimeException e) { // one consumer's failure must not cost the other its record
                LOG.log(Level.WARNING, "Request observer " + observer + " failed for " + request.method() + " "
                        + request.path(), e);
            }
        }
    }
}
