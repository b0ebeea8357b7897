package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

class JsonRewriterTest {

    private static JsonRewriter open(String json) throws IOException {
        return JsonRewriter.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), url -> "R(" + url + ")",
                (uri, tagPath) -> "B(" + tagPath + ":" + uri + ")", "UP");
    }

    private static String rewritten(String json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        open(json).writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onlyRetrieveUrlValuesAndBulkDataUrisAreRewrittenEverythingElseIsKept() throws IOException {
        String in = "[{\"00081190\":{\"vr\":\"UR\",\"Value\":[\"u1\"]},"
                + "\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"00081190\":{\"vr\":\"UR\",\"Value\":[\"u2\"]}}]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^J\"}]},"
                + "\"00180050\":{\"vr\":\"DS\",\"Value\":[0.97656299999999996,2,-1e3]},"
                + "\"00201040\":{\"vr\":\"LO\"},\"00081030\":{\"vr\":\"LO\",\"Value\":[null,\"Value\"]},"
                + "\"00540016\":{\"vr\":\"SQ\",\"Value\":[{},{\"00181072\":{\"vr\":\"OB\",\"BulkDataURI\":\"b2\"}}]},"
                + "\"7fe00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"b1\"}},{\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]}}]";
        String expected = in.replace("\"u1\"", "\"R(u1)\"").replace("\"u2\"", "\"R(u2)\"")
                .replace("\"b1\"", "\"B(7FE00010:b1)\"").replace("\"b2\"", "\"B(00540016/1/00181072:b2)\"");
        assertEquals(Json.createReader(new StringReader(expected)).readArray(),
                Json.createReader(new StringReader(rewritten(in))).readArray());
        assertTrue(rewritten(in).contains("0.97656299999999996"), "numbers keep their digits");
    }

    @Test
    void anEmptyArrayIsKnownBeforeWritingAndNonArraysFail() throws IOException {
        assertTrue(open(" [ ] ").isEmpty());
        assertEquals("[]", rewritten("[]"));
        assertThrows(IOException.class, () -> open("{\"a\":1}"));
    }

    @Test
    void aCutAnswerFailsWithoutClosingTheArray() throws IOException {
        JsonRewriter cut = open("[{\"00100010\":{\"vr\":\"PN\"}},{\"0020000D\":{\"vr\":");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> cut.writeTo(out));
        assertTrue(!out.toString(StandardCharsets.UTF_8).endsWith("]"), out.toString(StandardCharsets.UTF_8));
    }
}
