package org.dicomweb.gateway.web.cors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.access.cors.CorsSettings;

/** Preflights and actual responses, for an allowed origin, another one, and with CORS off. */
class CorsRulesTest {

    private static final String VIEWER = "https://viewer.example";
    private static final CorsSettings ON = new CorsSettings(Set.of(VIEWER, "http://127.0.0.1:18180"), false, 600);
    private static final CorsSettings OFF = new CorsSettings(Set.of(), false, 600);

    @Test
    void aPreflightOfAnAllowedOriginGetsTheRequestedHeadersBack() {
        CorsRules.Preflight answer = CorsRules.preflight(ON, VIEWER, "GET", "accept, authorization");
        assertTrue(answer.allowed(), answer.refusal());
        assertEquals(Map.of("Access-Control-Allow-Origin", VIEWER,
                "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS",
                "Access-Control-Allow-Headers", "accept, authorization",
                "Access-Control-Max-Age", "600"), answer.headers());
    }

    @Test
    void aPreflightWithoutRequestedHeadersAllowsNone() {
        CorsRules.Preflight answer = CorsRules.preflight(ON, VIEWER, "POST", null);
        assertTrue(answer.allowed(), answer.refusal());
        assertFalse(answer.headers().containsKey("Access-Control-Allow-Headers"));
    }

    @Test
    void credentialsOnlyWhenConfigured() {
        assertFalse(CorsRules.preflight(ON, VIEWER, "GET", null).headers()
                .containsKey("Access-Control-Allow-Credentials"));
        assertFalse(CorsRules.actual(ON, VIEWER).containsKey("Access-Control-Allow-Credentials"));
        CorsSettings credentials = new CorsSettings(Set.of(VIEWER), true, 60);
        assertEquals("true", CorsRules.preflight(credentials, VIEWER, "GET", null).headers()
                .get("Access-Control-Allow-Credentials"));
        assertEquals("60", CorsRules.preflight(credentials, VIEWER, "GET", null).headers()
                .get("Access-Control-Max-Age"));
        assertEquals("true", CorsRules.actual(credentials, VIEWER).get("Access-Control-Allow-Credentials"));
    }

    @Test
    void refusalsSayWhy() {
        assertEquals("the origin https://evil.example is not one of gateway.cors.allowed-origins",
                CorsRules.preflight(ON, "https://evil.example", "GET", null).refusal());
        assertEquals("cross-origin requests are off (gateway.cors.allowed-origins is not set)",
                CorsRules.preflight(OFF, VIEWER, "GET", null).refusal());
        assertEquals("the method DELETE is not allowed cross-origin (GET, HEAD, POST, OPTIONS)",
                CorsRules.preflight(ON, VIEWER, "DELETE", null).refusal());
        String headers = CorsRules.preflight(ON, VIEWER, "GET", "accept,x-custom,cookie").refusal();
        assertTrue(headers.startsWith("the request headers x-custom, cookie are not allowed cross-origin (allowed: ["),
                headers);
        assertTrue(CorsRules.preflight(ON, "https://evil.example", "GET", null).headers().isEmpty());
    }

    @Test
    void anActualResponseExposesWhatAViewerReadsToAnAllowedOriginOnly() {
        Map<String, String> headers = CorsRules.actual(ON, VIEWER);
        assertEquals(VIEWER, headers.get("Access-Control-Allow-Origin"));
        for (String exposed : new String[] {"Content-Type", "Content-Location", "Content-Length", "Warning"}) {
            assertTrue(headers.get("Access-Control-Expose-Headers").contains(exposed), exposed);
        }
        assertEquals(Map.of(), CorsRules.actual(ON, "https://evil.example"));
        assertEquals(Map.of(), CorsRules.actual(ON, "https://viewer.example:8443"), "another port, another origin");
        assertEquals(Map.of(), CorsRules.actual(ON, null), "a same-origin or non-browser request");
        assertEquals(Map.of(), CorsRules.actual(OFF, VIEWER));
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertTrue(CorsRules.preflight(ON, VIEWER, "GET", "Authorization, Content-Type").allowed());
    }
}
