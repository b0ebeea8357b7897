package org.dicomweb.gateway.web.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class MatchCounterTest {

    private static int count(String json, int chunk) throws IOException {
        AtomicInteger matches = new AtomicInteger();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (MatchCounter counter = new MatchCounter(sink, matches::addAndGet)) {
            for (int i = 0; i < bytes.length; i += chunk) {
                counter.write(bytes, i, Math.min(chunk, bytes.length - i));
            }
        }
        assertEquals(json, sink.toString(StandardCharsets.UTF_8), "the bytes pass through unchanged");
        return matches.get();
    }

    @Test
    void countsTheTopLevelObjectsOnly() throws IOException {
        String answer = "[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^J\"}]}},"
                + "{\"00081199\":{\"vr\":\"SQ\",\"Value\":[{},{}]}},\n {}]";
        assertEquals(3, count(answer, answer.length()));
        assertEquals(3, count(answer, 1));
        assertEquals(3, count(answer, 7));
    }

    @Test
    void bracesInsideStringsAndEscapedQuotesAreNotStructure() throws IOException {
        assertEquals(1, count("[{\"a\":\"{[}\\\"{\\\\\"}]", 3));
        assertEquals(2, count("[{\"a\":\"x\\\\\"},{\"b\":\"}{\"}]", 1));
    }

    @Test
    void anEmptyOrCutArrayCountsWhatWasSent() throws IOException {
        assertEquals(0, count("[]", 1));
        assertEquals(1, count("[{\"a\":1},{\"b\"", 2));
    }
}
