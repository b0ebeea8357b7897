package org.dicomweb.gateway.web.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.junit.jupiter.api.Test;

class RequestTargetsTest {

    private static RequestTarget get(String path) {
        return RequestTargets.parse("GET", path);
    }

    @Test
    void searchesAtEachLevelAreQido() {
        assertEquals(new RequestTarget(Service.QIDO, "PACS", null, null, null), get("aets/PACS/studies"));
        assertEquals(new RequestTarget(Service.QIDO, "PACS", null, null, null), get("aets/PACS/series"));
        assertEquals(new RequestTarget(Service.QIDO, "PACS", null, null, null), get("/aets/PACS/instances/"));
        assertEquals(new RequestTarget(Service.QIDO, "PACS", "1.2", null, null), get("aets/PACS/studies/1.2/series"));
        assertEquals(new RequestTarget(Service.QIDO, "PACS", "1.2", null, null),
                get("aets/PACS/studies/1.2/instances"));
        assertEquals(new RequestTarget(Service.QIDO, "PACS", "1.2", "3.4", null),
                get("aets/PACS/studies/1.2/series/3.4/instances"));
    }

    @Test
    void retrievalsAtEachLevelAreWado() {
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", null, null), get("aets/PACS/studies/1.2"));
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", null, null),
                get("aets/PACS/studies/1.2/metadata"));
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", null, null),
                get("aets/PACS/studies/1.2/thumbnail"));
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", "3.4", null),
                get("aets/PACS/studies/1.2/series/3.4/rendered"));
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", "3.4", "5.6"),
                get("aets/PACS/studies/1.2/series/3.4/instances/5.6/frames/1,2/rendered"));
        assertEquals(new RequestTarget(Service.WADO, "PACS", "1.2", "3.4", "5.6"),
                get("aets/PACS/studies/1.2/series/3.4/instances/5.6/bulkdata/7FE00010"));
    }

    @Test
    void postsToStudiesAreStow() {
        assertEquals(new RequestTarget(Service.STOW, "PACS", null, null, null),
                RequestTargets.parse("POST", "aets/PACS/studies"));
        assertEquals(new RequestTarget(Service.STOW, "PACS", "1.2", null, null),
                RequestTargets.parse("post", "aets/PACS/studies/1.2"));
    }

    @Test
    void gatewayEndpoints() {
        assertEquals(RequestTarget.of(Service.AE_LIST), get("aets"));
        assertEquals(new RequestTarget(Service.AE_ECHO, "PACS", null, null, null), get("aets/PACS"));
        assertEquals(new RequestTarget(Service.REINDEX, "S3", null, null, null),
                RequestTargets.parse("POST", "aets/S3/reindex"));
        assertEquals(RequestTarget.of(Service.TASKS), RequestTargets.parse("POST", "tasks/t-1/cancel"));
        assertEquals(RequestTarget.of(Service.TASKS), RequestTargets.parse("POST", "inference"));
        assertEquals(RequestTarget.of(Service.STATUS_PAGE), get("status/tasks"));
        assertEquals(RequestTarget.of(Service.CHANGEFEED), get("changefeed/latest"));
        assertEquals(RequestTarget.of(Service.ADMIN), RequestTargets.parse("POST", "admin/configuration/reload"));
    }

    @Test
    void pathsNoResourceServesAreUnknown() {
        assertEquals(RequestTarget.of(Service.UNKNOWN), get(""));
        assertEquals(RequestTarget.of(Service.UNKNOWN), get("nothing/here"));
        assertEquals(new RequestTarget(Service.UNKNOWN, "PACS", null, null, null), get("aets/PACS/whatever"));
        assertEquals(new RequestTarget(Service.UNKNOWN, "PACS", null, null, null), get("aets/PACS/series/1.2"));
    }
}
