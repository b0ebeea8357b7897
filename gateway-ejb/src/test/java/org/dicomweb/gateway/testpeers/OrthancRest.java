package org.dicomweb.gateway.testpeers;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests to an Orthanc peer's REST API. Orthanc closes a kept-alive connection after one idle second
 * ({@code Keep-Alive: timeout=1}); a request that the JDK client sends on such a connection just as Orthanc closes it
 * fails with "header parser received no bytes" (Orthanc read nothing of it, so nothing was done) and the client
 * retries only idempotent ones. Such a request is sent once more, on a new connection.
 */
public final class OrthancRest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancRest() {
    }

    public static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        try {
            return CLIENT.send(request, body);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            return CLIENT.send(request, body);
        }
    }
}
