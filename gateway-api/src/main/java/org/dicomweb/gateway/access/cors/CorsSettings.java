package org.dicomweb.gateway.access.cors;

import java.util.Set;

/**
 * Which browser origins may read the gateway's answers (CORS, docs/conformance.md): the exact origins of
 * {@code gateway.cors.allowed-origins} (lower case, without a default port, as browsers send them), whether their
 * requests may carry credentials ({@code gateway.cors.allow-credentials}), and how long a browser may keep a preflight's
 * answer ({@code gateway.cors.max-age-seconds}). No origins: CORS is off.
 */
public record CorsSettings(Set<String> allowedOrigins, boolean allowCredentials, int maxAgeSeconds) {

    public CorsSettings {
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    /** An Origin header's value, compared exactly (a browser sends the serialized origin). */
    public boolean allows(String origin) {
        return allowedOrigins.contains(origin);
    }
}
