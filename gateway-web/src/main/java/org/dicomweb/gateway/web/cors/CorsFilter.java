package org.dicomweb.gateway.web.cors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.access.cors.CorsPolicy;
import org.dicomweb.gateway.access.cors.CorsSettings;

/**
 * CORS for browser viewers on other origins ({@link CorsRules}). A preflight (OPTIONS with an Origin and an
 * Access-Control-Request-Method) is answered here, 204 or 403 with the reason, before the access check: a preflight
 * never carries a token, and no resource has an OPTIONS method of its own. Pre-matching, after the request target is
 * parsed (so the audit trail and the metrics see the preflight too). Every other response, errors included (a 401
 * must reach the viewer so that it can renew its token), gets the CORS headers when its origin is allowed, and
 * {@code Vary: Origin} whenever CORS is on, so that a cache keeps answers to different origins apart.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
@ApplicationScoped
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String ORIGIN = "Origin";
    static final String REQUEST_METHOD = "Access-Control-Request-Method";
    static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    /** Marks a request answered as a preflight, whose headers are complete. */
    private static final String PREFLIGHT = CorsFilter.class.getName() + ".preflight";

    @Inject
    CorsPolicy policy;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString(ORIGIN);
        String method = request.getHeaderString(REQUEST_METHOD);
        if (origin == null || method == null || !HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        request.setProperty(PREFLIGHT, Boolean.TRUE);
        CorsSettings settings = policy.current();
        CorsRules.Preflight answer = CorsRules.preflight(settings, origin, method,
                request.getHeaderString(REQUEST_HEADERS));
        if (!answer.allowed()) {
            throw new WebApplicationException(answer.refusal(), Response.Status.FORBIDDEN);
        }
        Response.ResponseBuilder response = Response.noContent().header(HttpHeaders.VARY, ORIGIN);
        answer.headers().forEach(response::header);
        request.abortWith(response.build());
    }

    /** Whether this filter answered the request as a CORS preflight (for the audit trail and the metrics). */
    public static boolean isPreflight(ContainerRequestContext request) {
        return request.getProperty(PREFLIGHT) != null;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (isPreflight(request)) {
            return;
        }
        CorsSettings settings = policy.current();
        if (!settings.enabled()) {
            return;
        }
        response.getHeaders().add(HttpHeaders.VARY, ORIGIN);
        CorsRules.actual(settings, request.getHeaderString(ORIGIN)).forEach(response.getHeaders()::putSingle);
    }
}
