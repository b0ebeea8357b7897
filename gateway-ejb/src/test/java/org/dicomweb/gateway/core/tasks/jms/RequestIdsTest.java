package org.dicomweb.gateway.core.tasks.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private static final RequestIds NONE = new RequestIds(null, null);

    @Test
    void theIdsOfABodyTheParserRefusesAreStillRead() {
        assertEquals(new RequestIds("t-1", "c-1"),
                RequestIds.of("{\"taskId\":\" t-1 \",\"correlationId\":\"c-1\",\"source\":42}"));
        assertEquals(new RequestIds("t-1", null), RequestIds.of("{\"taskId\":\"t-1\",\"retrieve\":{}}"));
    }

    @Test
    void idsTheRequestModelWouldRefuseAreLeftOut() {
        assertEquals(NONE, RequestIds.of("{\"taskId\":\"" + "x".repeat(65) + "\",\"correlationId\":\"\"}"));
        assertEquals(NONE, RequestIds.of("{\"taskId\":42,\"correlationId\":\"a\\nb\"}"));
    }

    @Test
    void aBodyThatIsNoJsonObjectHasNone() {
        assertEquals(NONE, RequestIds.of("{\"taskId\":"));
        assertEquals(NONE, RequestIds.of("[\"taskId\"]"));
        assertEquals(NONE, RequestIds.of(""));
        assertEquals(NONE, RequestIds.of(null));
    }

    @Test
    void theBodysCorrelationIdWinsOverTheHeaders() {
        assertEquals("c-1", new RequestIds("t-1", "c-1").correlationIdOr("header"));
        assertEquals("header", new RequestIds("t-1", null).correlationIdOr("header"));
        assertNull(NONE.correlationIdOr(null));
    }
}
