package org.dicomweb.gateway.it;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Access tokens from the test OIDC provider (scripts/peers.sh's oauth peer, mock-oauth2-server): a client-credentials
 * grant whose scope names the caller the peer's configuration describes (superuser, orthanc-reader, ...).
 */
final class OidcTokens {

    static final String PROVIDER = "http://127.0.0.1:18092";
    /** The issuer the gateway trusts (gateway.oidc.provider-url). */
    static final String ISSUER = PROVIDER + "/gateway";
    /** Another issuer of the same server, signing with a key of its own. */
    static final String OTHER_ISSUER = PROVIDER + "/other";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OidcTokens() {
    }

    static String token(String scope) {
        return token(ISSUER, scope);
    }

    static String token(String issuer, String scope) {
        String basic = Base64.getEncoder().encodeToString("it-client:it-secret".getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/token")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope)).build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("token endpoint " + issuer + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return Json.createReader(new StringReader(response.body())).readObject().getString("access_token");
        } catch (IOException e) {
            throw new IllegalStateException("token endpoint " + issuer + " (oauth peer) unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token with its claims replaced and its signature kept: what a forger would send. */
    static String withClaims(String token, JsonObject claims) {
        String[] parts = token.split("\\.");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }

    static JsonObject claims(String token) {
        byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return Json.createReader(new StringReader(new String(payload, StandardCharsets.UTF_8))).readObject();
    }
}
