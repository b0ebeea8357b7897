package org.dicomweb.gateway.web.cors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.dicomweb.gateway.access.cors.CorsSettings;

/**
 * What the gateway answers a browser's cross-origin request (Fetch standard, "CORS protocol"; docs/conformance.md):
 * the headers of a preflight's 204, or why it is refused, and the headers an actual response gets. An origin that is
 * not allowed gets no CORS header at all, so the browser keeps the answer from the page.
 */
final class CorsRules {

    static final String METHODS = "GET, HEAD, POST, OPTIONS";
    /**
     * The request headers a DICOMweb client sends beyond the CORS-safelisted ones: Accept and Content-Type with values
     * outside the safelist (multipart/related; type="application/dicom", application/dicom+json), the bearer token,
     * byte ranges, conditional requests, and what XHR-based viewers (dicomweb-client, OHIF) add.
     */
    static final Set<String> ALLOWED_HEADERS = Set.of("accept", "accept-language", "content-language",
            "content-type", "authorization", "range", "if-none-match", "if-modified-since", "if-match",
            "if-unmodified-since", "cache-control", "pragma", "x-requested-with");
    /**
     * The response headers a page may read: the media type (a multipart's boundary), length and range of a body,
     * where a stored instance or a task is, the DICOMweb warnings (PS3.18 §8.7), when to retry a 503, the 401's
     * challenge, and the validators.
     */
    static final String EXPOSED_HEADERS = "Content-Type, Content-Length, Content-Location, Content-Range, "
            + "Accept-Ranges, Location, Warning, Retry-After, WWW-Authenticate, ETag, Last-Modified";

    private static final Set<String> METHODS_ALLOWED = Set.of("GET", "HEAD", "POST");

    /** A preflight's answer: either the 204's headers, or the reason for a 403 (headers empty). */
    record Preflight(Map<String, String> headers, String refusal) {
        boolean allowed() {
            return refusal == null;
        }
    }

    private CorsRules() {
    }

    /**
     * The answer to a preflight from {@code origin} for {@code method} with the comma-separated
     * {@code requestedHeaders} (null: none).
     */
    static Preflight preflight(CorsSettings settings, String origin, String method, String requestedHeaders) {
        if (!settings.enabled()) {
            return refused("cross-origin requests are off (gateway.cors.allowed-origins is not set)");
        }
        if (!settings.allows(origin)) {
            return refused("the origin " + origin + " is not one of gateway.cors.allowed-origins");
        }
        if (!METHODS_ALLOWED.contains(method)) {
            return refused("the method " + method + " is not allowed cross-origin (" + METHODS + ")");
        }
        List<String> headers = requestedHeaders == null ? List.of() : Arrays.stream(requestedHeaders.split(","))
                .map(String::trim).filter(h -> !h.isEmpty()).toList();
        List<String> refused = new ArrayList<>();
        for (String header : headers) {
            if (!ALLOWED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                refused.add(header);
            }
        }
        if (!refused.isEmpty()) {
            return refused("the request header" + (refused.size() == 1 ? " " : "s ") + String.join(", ", refused)
                    + (refused.size() == 1 ? " is" : " are") + " not allowed cross-origin (allowed: "
                    + ALLOWED_HEADERS.stream().sorted().toList() + ")");
        }
        Map<String, String> answer = allowed(settings, origin);
        answer.put("Access-Control-Allow-Methods", METHODS);
        if (!headers.isEmpty()) {
            answer.put("Access-Control-Allow-Headers", String.join(", ", headers));
        }
        answer.put("Access-Control-Max-Age", Integer.toString(settings.maxAgeSeconds()));
        return new Preflight(answer, null);
    }

    /** The CORS headers of an actual (not preflight) response to a request from {@code origin} (null: none). */
    static Map<String, String> actual(CorsSettings settings, String origin) {
        if (origin == null || !settings.allows(origin)) {
            return Map.of();
        }
        Map<String, String> headers = allowed(settings, origin);
        headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return headers;
    }

    private static Map<String, String> allowed(CorsSettings settings, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        if (settings.allowCredentials()) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        return headers;
    }

    private static Preflight refused(String reason) {
        return new Preflight(Map.of(), reason);
    }
}
