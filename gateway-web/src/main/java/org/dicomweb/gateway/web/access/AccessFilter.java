package org.dicomweb.gateway.web.access;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.access.AccessDecision;
import org.dicomweb.gateway.access.AccessPolicy;
import org.dicomweb.gateway.access.Caller;
import org.dicomweb.gateway.web.error.ErrorBody;

/**
 * The access check of every request (docs/security.md): WildFly has authenticated the bearer token, if any
 * (elytron-oidc-client); the {@link AccessPolicy} decides on the caller's principal and roles and the request's
 * target. No principal is 401 with a Bearer challenge, whatever WildFly let through (fail closed); a missing role is
 * 403 with the reason. Pre-matching, so that a path no resource serves is no way around it. OPTIONS passes: it
 * carries no token in a CORS preflight, and answers nothing but the allowed methods.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHORIZATION)
@ApplicationScoped
public class AccessFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Bearer realm=\"dicomweb-gateway\"";

    @Inject
    AccessPolicy policy;

    @Override
    public void filter(ContainerRequestContext request) {
        if (HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        AccessDecision decision = policy.check(callerOf(request.getSecurityContext()),
                RequestTargetFilter.of(request));
        switch (decision.outcome()) {
            case ALLOWED -> {
            }
            case UNAUTHENTICATED -> request.abortWith(Response.fromResponse(
                    ErrorBody.response(Response.Status.UNAUTHORIZED, decision.reason()))
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
            case FORBIDDEN -> request.abortWith(ErrorBody.response(Response.Status.FORBIDDEN, decision.reason()));
        }
    }

    /** The caller as WildFly authenticated it: its principal's name (null: none) and its roles. */
    public static Caller callerOf(SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            return Caller.ANONYMOUS;
        }
        return new Caller(security.getUserPrincipal().getName(), security::isUserInRole);
    }
}
