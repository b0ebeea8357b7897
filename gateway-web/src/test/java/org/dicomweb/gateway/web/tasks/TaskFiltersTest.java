package org.dicomweb.gateway.web.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.tasks.TaskQuery;
import org.dicomweb.gateway.tasks.TaskState;

class TaskFiltersTest {

    @Test
    void noParametersIsTheFirstPageOfAll() {
        assertEquals(new TaskQuery(null, null, null, null, null, 0, 100),
                TaskFilters.query(null, null, null, null, null, null, null));
    }

    @Test
    void everyFilter() {
        assertEquals(new TaskQuery(TaskState.FAILED, "b1", "ORTHANC", Instant.parse("2026-12-01T00:00:00Z"),
                        Instant.parse("2026-12-02T00:00:00Z"), 20, 10),
                TaskFilters.query("FAILED", "b1", "ORTHANC", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "20",
                        "10"));
    }

    @Test
    void aBadFilterIsNamed() {
        assertNamed("state", () -> TaskFilters.query("DONE", null, null, null, null, null, null));
        assertNamed("createdFrom", () -> TaskFilters.query(null, null, null, "yesterday", null, null, null));
        assertNamed("createdTo", () -> TaskFilters.query(null, null, null, null, "2026-13-01", null, null));
        assertNamed("offset", () -> TaskFilters.query(null, null, null, null, null, "-1", null));
        assertNamed("limit", () -> TaskFilters.query(null, null, null, null, null, null, "0"));
        assertNamed("limit", () -> TaskFilters.query(null, null, null, null, null, null, "1001"));
        assertNamed("limit", () -> TaskFilters.query(null, null, null, null, null, null, "ten"));
    }

    private static void assertNamed(String parameter, Runnable query) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, query::run);
        assertTrue(e.getMessage().startsWith("'" + parameter + "'"), e.getMessage());
    }
}
