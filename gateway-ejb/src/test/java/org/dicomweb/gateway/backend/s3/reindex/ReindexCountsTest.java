package org.dicomweb.gateway.backend.s3.reindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.reindex.ReindexStatus;
import org.dicomweb.gateway.reindex.ReindexStatus.State;

class ReindexCountsTest {

    private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aCleanRunHasCountsAndNoMessage() {
        ReindexCounts counts = new ReindexCounts("S3", STARTED);
        counts.listed(3);
        counts.unchanged();
        counts.indexed();
        counts.indexed();
        counts.removed(4);
        Instant finished = STARTED.plusSeconds(5);

        assertEquals(new ReindexStatus("S3", State.COMPLETED, STARTED, finished, 3, 2, 1, 0, 4, null),
                counts.status(State.COMPLETED, finished, null));
        assertEquals(7, counts.done());
    }

    @Test
    void theMessageNamesTheFirstFailedKeysAndCountsTheRest() {
        ReindexCounts counts = new ReindexCounts("S3", STARTED);
        for (int i = 1; i <= 7; i++) {
            counts.failed("k" + i + ".dcm", "not a DICOM Part 10 file");
        }
        ReindexStatus status = counts.status(State.RUNNING, null, null);

        assertEquals(7, status.failed());
        assertNull(status.finished());
        assertEquals("7 object(s) could not be indexed: k1.dcm: not a DICOM Part 10 file; k2.dcm: not a DICOM"
                + " Part 10 file; k3.dcm: not a DICOM Part 10 file; k4.dcm: not a DICOM Part 10 file; k5.dcm: not a"
                + " DICOM Part 10 file; and 2 more", status.message());
    }

    @Test
    void aStoppedRunSaysWhyFirst() {
        ReindexCounts counts = new ReindexCounts("S3", STARTED);
        counts.failed("a.dcm", "too short");
        assertEquals("stopped: the database is down. 1 object(s) could not be indexed: a.dcm: too short",
                counts.status(State.FAILED, STARTED, "the database is down").message());
    }
}
