package org.dicomweb.gateway.web.access;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.access.RequestTarget;

/**
 * Parses each request's {@link RequestTarget} once, before anything else, and keeps it in the request context
 * ({@link RequestTarget#PROPERTY}) for the filters that follow: the access check, the audit trail, the metrics.
 * Pre-matching, so that a request JAX-RS refuses before any resource (404, 405) has its target too.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
@ApplicationScoped
public class RequestTargetFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(RequestTarget.PROPERTY,
                RequestTargets.parse(request.getMethod(), request.getUriInfo().getPath(true)));
    }

    /** The target the filter parsed for this request. */
    public static RequestTarget of(ContainerRequestContext request) {
        return (RequestTarget) request.getProperty(RequestTarget.PROPERTY);
    }
}
