package org.dicomweb.gateway.validation;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.error.InvalidRequestException;

/**
 * Reading a client's JSON request field by field, shared by the task and the inference request parsers so that both
 * refuse a bad field with the same reason: every problem is an {@link InvalidRequestException} that names the field
 * by its path ({@code prefix} + name, e.g. {@code 'retrieve.studies'}).
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** {@code body} as one JSON object; anything else is refused with the parser's reason, naming {@code what}. */
    public static JsonObject object(String body, String what) {
        JsonValue value;
        try (var reader = Json.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonException e) {
            throw new InvalidRequestException(what + " is not JSON: " + e.getMessage());
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException(what + " must be a JSON object, not " + value.getValueType());
        }
        return value.asJsonObject();
    }

    /** A string of 1 to {@code maxLength} printable characters (stripped); {@code where} names it in the reason. */
    public static String string(JsonValue value, String where, int maxLength) {
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidRequestException("'" + where + "' must be a string, not " + value.getValueType());
        }
        String text = ((JsonString) value).getString().strip();
        if (text.isEmpty() || text.length() > maxLength || text.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new InvalidRequestException("'" + where + "' must be 1 to " + maxLength
                    + " printable characters, not '" + Values.shorten(text) + "'");
        }
        return text;
    }

    public static JsonObject object(JsonObject json, String field, String prefix) {
        return typed(json, field, prefix, JsonValue.ValueType.OBJECT, "an object").asJsonObject();
    }

    public static JsonArray array(JsonObject json, String field, String prefix) {
        return typed(json, field, prefix, JsonValue.ValueType.ARRAY, "an array").asJsonArray();
    }

    private static JsonValue typed(JsonObject json, String field, String prefix, JsonValue.ValueType type,
            String kind) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() != type) {
            throw new InvalidRequestException("'" + prefix + field + "' must be " + kind
                    + (value == null ? " (it is missing)" : ""));
        }
        return value;
    }

    /** Element {@code index} of an array named {@code where}, which must be an object. */
    public static JsonObject element(JsonArray array, int index, String where) {
        JsonValue value = array.get(index);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new InvalidRequestException("'" + where + "[" + index + "]' must be an object");
        }
        return value.asJsonObject();
    }
}
