package org.dicomweb.gateway.web.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.access.RequestMetrics;
import org.dicomweb.gateway.web.observe.ObservedRequest;
import org.dicomweb.gateway.web.observe.RequestObserver;

/**
 * Hands each request's numbers to {@link RequestMetrics}: its time from arrival to its body's last byte, its status
 * and body bytes. A request JAX-RS never saw has no target and is not counted; neither is a CORS preflight, answered
 * by CorsFilter without touching any data: it would count as a request of the service it asks about.
 */
@ApplicationScoped
public class MeteredRequests implements RequestObserver {

    @Inject
    RequestMetrics metrics;

    @Override
    public void ended(ObservedRequest request) {
        if (request.target() != null && !request.preflight()) {
            metrics.answered(request.target(), request.status(), request.durationNanos(), request.bytesIn(),
                    request.bytesOut());
        }
    }
}
