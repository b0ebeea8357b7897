package org.dicomweb.gateway.web.metrics;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.web.access.RequestTargetFilter;
import org.dicomweb.gateway.web.cors.CorsFilter;

/**
 * Gives each request's {@link Measurement} what JAX-RS knows: the target RequestTargetFilter parsed, and a count of
 * the body bytes as the resource reads them (a STOW-RS upload, a task request). A CORS preflight, answered by
 * CorsFilter without touching any data, is taken out again: it would count as a request of the service it asks
 * about. JAX-RS properties are the servlet request's attributes, where {@link MeteredRequests} keeps the measurement.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 90) // after RequestTargetFilter, before any filter that may refuse the request
@ApplicationScoped
public class MeasurementFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(Measurement.ATTRIBUTE) instanceof Measurement measurement) {
            measurement.target(RequestTargetFilter.of(request));
            if (request.hasEntity()) {
                request.setEntityStream(measurement.counting(request.getEntityStream()));
            }
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (CorsFilter.isPreflight(request) && request.getProperty(Measurement.ATTRIBUTE) instanceof Measurement m) {
            m.target(null); // not counted
        }
    }
}
