package org.dicomweb.gateway.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.dicomweb.gateway.access.cors.CorsSettings;

/**
 * Reads and validates the CORS keys (docs/configuration.md, "Browsers (CORS)"). Each allowed origin must be what a
 * browser sends in its Origin header, {@code scheme://host[:port]}: so a path, a trailing slash, a wildcard or
 * "null" are refused by name instead of silently never matching. Origins are kept as browsers serialize them (lower
 * case, without the scheme's default port), so that the per-request check is an exact comparison.
 */
public final class CorsSettingsReader {

    static final String ALLOWED_ORIGINS = "gateway.cors.allowed-origins";
    static final String ALLOW_CREDENTIALS = "gateway.cors.allow-credentials";
    static final String MAX_AGE_SECONDS = "gateway.cors.max-age-seconds";
    /** Ten minutes: Chromium keeps a preflight at most two hours, Firefox a day. */
    static final int DEFAULT_MAX_AGE_SECONDS = 600;

    private CorsSettingsReader() {
    }

    public static CorsSettings read(ConfigValues values) {
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : values.string(ALLOWED_ORIGINS, "").split(",")) {
            if (!origin.isBlank()) {
                origins.add(origin(origin.trim()));
            }
        }
        return new CorsSettings(origins, values.bool(ALLOW_CREDENTIALS, false),
                values.integer(MAX_AGE_SECONDS, DEFAULT_MAX_AGE_SECONDS, 0, 86_400));
    }

    private static String origin(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(value, "not a URI (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(value, "not an http or https origin (exact origins only, e.g. https://viewer.example:8443)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw invalid(value, "without a host name, or with user information");
        }
        if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(value, "more than scheme://host[:port] (an Origin header has no path, not even '/')");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static ConfigurationException invalid(String origin, String problem) {
        return new ConfigurationException(ALLOWED_ORIGINS, "has '" + origin + "', " + problem);
    }
}
