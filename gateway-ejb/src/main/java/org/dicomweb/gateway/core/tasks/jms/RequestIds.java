package org.dicomweb.gateway.core.tasks.jms;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.tasks.TaskRequests;

/**
 * The taskId and correlationId of a request body that may be malformed, read as far as they can be, so that a
 * refused request is recorded under the id its sender will look for. Null where the body has none usable.
 */
record RequestIds(String taskId, String correlationId) {

    static RequestIds of(String body) {
        if (body == null) {
            return new RequestIds(null, null);
        }
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return new RequestIds(null, null);
            }
            JsonObject json = value.asJsonObject();
            return new RequestIds(id(json, "taskId"), id(json, "correlationId"));
        } catch (JsonException e) {
            return new RequestIds(null, null);
        }
    }

    /** The body's correlationId, else the one a JMS sender put in the JMSCorrelationID header (may be null). */
    String correlationIdOr(String header) {
        return correlationId != null ? correlationId : header;
    }

    /** A usable id: a string of 1 to 64 printable characters (what TaskRequests takes), else null. */
    private static String id(JsonObject json, String field) {
        if (!(json.get(field) instanceof JsonString string)) {
            return null;
        }
        String id = string.getString().strip();
        boolean usable = !id.isEmpty() && id.length() <= TaskRequests.MAX_ID_LENGTH
                && id.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
        return usable ? id : null;
    }
}
