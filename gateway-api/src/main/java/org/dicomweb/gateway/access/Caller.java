package org.dicomweb.gateway.access;

import java.util.function.Predicate;

/**
 * Who sends a request, as WildFly authenticated it (elytron-oidc-client; the application never reads a token): the
 * principal's name, null for a request without a valid token, and a test of the caller's roles (the roles of the
 * token's {@code realm_access}, {@code resource_access.<client>} or {@code roles} claims).
 */
public record Caller(String name, Predicate<String> inRole) {

    public static final Caller ANONYMOUS = new Caller(null, role -> false);

    public boolean authenticated() {
        return name != null;
    }

    public boolean hasRole(String role) {
        return authenticated() && inRole.test(role);
    }
}
