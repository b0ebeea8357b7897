package org.dicomweb.gateway.it;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;

/** A small HTTP/JSON client for the gateway's REST API and WildFly's health endpoints. */
final class Http {

    static final String GATEWAY = "http://127.0.0.1:8080/dicomweb";
    static final String HEALTH = "http://127.0.0.1:9990/health";

    /** Speaks HTTP/2 to the gateway (h2c, Undertow has HTTP/2 on): all its requests share one connection. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, String contentType, String body, List<String> warnings) {
        JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }
    }

    private Http() {
    }

    /** A GET with headers, the body as bytes. */
    static HttpResponse<byte[]> getBytes(String url, String... headers) {
        return send(url, HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    /**
     * A GET whose body the caller reads as it comes, over {@code version}. HTTP/2 is the shared client's connection
     * (h2c), which all its requests share; HTTP/1.1 a client of its own, whose connections no other request uses, so
     * a test that has a body cut (its connection closed) leaves the shared client's requests alone.
     */
    static HttpResponse<java.io.InputStream> getStream(HttpClient.Version version, String url, String... headers) {
        return send(version == HttpClient.Version.HTTP_1_1 ? HTTP_1_1 : CLIENT, url,
                HttpResponse.BodyHandlers.ofInputStream(), headers);
    }

    private static <T> HttpResponse<T> send(String url, HttpResponse.BodyHandler<T> body, String... headers) {
        return send(CLIENT, url, body, headers);
    }

    private static <T> HttpResponse<T> send(HttpClient client, String url, HttpResponse.BodyHandler<T> body,
            String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET();
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return client.send(request.build(), body);
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply get(String url) {
        HttpResponse<String> response = send(url, HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), response.headers().allValues("Warning"));
    }

    /** A POST of {@code body} (null: none) as {@code contentType}; a DELETE with {@code method} "DELETE". */
    static Reply send(String method, String url, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().allValues("Warning"));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Reply postJson(String url, String body) {
        return send("POST", url, "application/json", body);
    }

    /** The readiness probe's pacs-echo data: each AE title to "UP (n ms)" or "DOWN: reason". */
    static Map<String, String> readiness(Reply ready) {
        JsonObject check = ready.json().asJsonObject().getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("pacs-echo")).findFirst()
                .orElseThrow(() -> new AssertionError("no check pacs-echo in " + ready.body()));
        return check.getJsonObject("data").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((JsonString) e.getValue()).getString()));
    }
}
