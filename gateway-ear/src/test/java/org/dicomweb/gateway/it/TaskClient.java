package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** The gateway's {@code /tasks} as a client sees it: requests, and waiting (with a deadline) for a task's states. */
final class TaskClient {

    static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TaskClient() {
    }

    /** A task request of one study (notBefore null: at once). */
    static JsonObject request(String taskId, String batchId, String source, String destination, String study,
            Instant notBefore) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("taskId", taskId).add("batchId", batchId)
                .add("source", source).add("destination", destination)
                .add("retrieve", Json.createObjectBuilder().add("studies", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("studyInstanceUid", study))));
        if (notBefore != null) {
            json.add("notBefore", notBefore.toString());
        }
        return json.build();
    }

    static Http.Reply post(String path, String body) {
        String url = Http.GATEWAY + path;
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().allValues("Warning"));
        } catch (IOException e) {
            throw new IllegalStateException("POST " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits; fails unless the gateway answers {@code status}. */
    static JsonObject submit(JsonObject request, int status) {
        return submit(request.toString(), status);
    }

    static JsonObject submit(String request, int status) {
        Http.Reply reply = post("/tasks", request);
        assertEquals(status, reply.status(), reply.body());
        return reply.json().asJsonObject();
    }

    /** {@code GET /tasks/{id}}; the id may hold any printable character (it is encoded as a path segment). */
    static JsonObject task(String taskId) {
        Http.Reply reply = Http.get(Http.GATEWAY + "/tasks/"
                + URLEncoder.encode(taskId, StandardCharsets.UTF_8).replace("+", "%20"));
        assertEquals(200, reply.status(), reply.body());
        return reply.json().asJsonObject();
    }

    /** The task as it is once it ended; every state it was seen in on the way (polled every 50 ms) is in {@code seen}. */
    static JsonObject awaitEnd(String taskId, List<JsonObject> seen) {
        return await(taskId, task -> List.of("COMPLETED", "WARNING", "FAILED", "CANCELED")
                .contains(task.getString("state")), seen);
    }

    static JsonObject awaitEnd(String taskId) {
        return awaitEnd(taskId, new ArrayList<>());
    }

    static JsonObject await(String taskId, Predicate<JsonObject> until, List<JsonObject> seen) {
        return await(taskId, until, seen, DEADLINE);
    }

    static JsonObject await(String taskId, Predicate<JsonObject> until, List<JsonObject> seen, Duration within) {
        return Poll.until(within, Duration.ofMillis(50), () -> {
            JsonObject task = task(taskId);
            seen.add(task);
            return until.test(task) ? task : null;
        }, () -> "task " + taskId + " did not get there within " + within + ": " + seen.get(seen.size() - 1));
    }
}
