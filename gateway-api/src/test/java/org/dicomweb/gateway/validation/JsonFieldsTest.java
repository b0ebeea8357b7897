package org.dicomweb.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import org.dicomweb.gateway.error.InvalidRequestException;

class JsonFieldsTest {

    @Test
    void fields() {
        var json = JsonFields.object("{\"a\": {\"b\": [\" x \", {}]}}", "the request");
        var b = JsonFields.array(JsonFields.object(json, "a", ""), "b", "a.");
        assertEquals("x", JsonFields.string(b.get(0), "a.b[0]", 1), "stripped");
        assertTrue(JsonFields.element(b, 1, "a.b").isEmpty());
    }

    @Test
    void refusedNamingTheField() {
        var json = JsonFields.object("{\"a\": 1, \"s\": \"\\u0007\", \"list\": [1]}", "the request");
        refused("the request is not JSON: ", () -> JsonFields.object("{", "the request"));
        refused("the request must be a JSON object, not ARRAY", () -> JsonFields.object("[]", "the request"));
        refused("'p.a' must be an object", () -> JsonFields.object(json, "a", "p."));
        refused("'p.b' must be an object (it is missing)", () -> JsonFields.object(json, "b", "p."));
        refused("'a' must be an array", () -> JsonFields.array(json, "a", ""));
        refused("'b' must be an array (it is missing)", () -> JsonFields.array(json, "b", ""));
        refused("'list[0]' must be an object", () -> JsonFields.element(json.getJsonArray("list"), 0, "list"));
        refused("'a' must be a string, not NUMBER", () -> JsonFields.string(json.get("a"), "a", 4));
        refused("'s' must be 1 to 4 printable characters, not 'U+0007'", () -> JsonFields.string(json.get("s"),
                "s", 4));
    }

    private static void refused(String reason, Executable parse) {
        String message = assertThrows(InvalidRequestException.class, parse).getMessage();
        assertTrue(message.startsWith(reason), message);
    }
}
