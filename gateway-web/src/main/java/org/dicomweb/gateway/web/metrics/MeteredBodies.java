package org.dicomweb.gateway.web.metrics;

import java.io.IOException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

/**
 * Counts the body bytes of each request into its {@link Measurement}: the request body as the resource reads it (a
 * STOW-RS upload), the response entity as it is written (a WADO-RS retrieval). JAX-RS properties are the servlet
 * request's attributes, where {@link MeteredRequests} keeps the measurement.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 90) // after RequestTargetFilter, before any filter that may refuse the request
@ApplicationScoped
public class MeteredBodies implements ContainerRequestFilter, WriterInterceptor {

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getProperty(Measurement.ATTRIBUTE) instanceof Measurement measurement && request.hasEntity()) {
            request.setEntityStream(measurement.counting(request.getEntityStream()));
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (context.getProperty(Measurement.ATTRIBUTE) instanceof Measurement measurement) {
            context.setOutputStream(measurement.counting(context.getOutputStream()));
        }
        context.proceed();
    }
}
