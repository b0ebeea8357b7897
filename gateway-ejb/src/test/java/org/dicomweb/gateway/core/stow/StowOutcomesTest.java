package org.dicomweb.gateway.core.stow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.stow.StowResult;

class StowOutcomesTest {

    private static StowResult.Stored stored(String sop, String study) {
        return new StowResult.Stored("1.2.840.10008.5.1.4.1.1.2", sop, study, "1.2.3.9", null);
    }

    @Test
    void everyPartHasOneOutcomeInBodyOrder() {
        StowOutcomes outcomes = new StowOutcomes("PACS", null);
        outcomes.pending(CompletableFuture.completedFuture(stored("1.1", "1.2.3")), "cls", "1.1");
        assertEquals("part 2", outcomes.nextPart());
        outcomes.rejected("is text/plain, not application/dicom");
        outcomes.pending(new CompletableFuture<>(), "cls", "1.3"); // never answers
        outcomes.bodyFailed("the body ended before its closing boundary");
        StowResult result = outcomes.result(1);
        assertEquals(1, result.stored().size());
        assertEquals("1.2.3", result.studyUid(), "one study stored: the response names it");
        assertEquals(3, result.failed().size());
        assertEquals("part 2 is text/plain, not application/dicom", result.failed().get(0).why());
        assertTrue(result.failed().get(0).isUnparsed());
        StowResult.Failed unanswered = result.failed().get(1);
        assertEquals("1.3", unanswered.sopInstanceUid());
        assertEquals(StowOutcomes.PROCESSING_FAILURE, unanswered.failureReason());
        assertEquals("PACS: no store response within 1 ms", unanswered.why());
    }

    @Test
    void instancesOfAnotherStudyThanThePathAreRefused() {
        StowOutcomes outcomes = new StowOutcomes("PACS", "1.2.3");
        assertFalse(outcomes.refusedForStudy("cls", "1.1", "1.2.3"));
        assertTrue(outcomes.refusedForStudy("cls", "1.2", "1.2.4"));
        StowResult result = outcomes.result(1);
        assertEquals(StowOutcomes.STUDY_UID_MISMATCH, result.failed().get(0).failureReason());
        assertEquals("belongs to study 1.2.4, not 1.2.3", result.failed().get(0).why());
        assertEquals("1.2.3", result.studyUid());
    }

    @Test
    void storesInTwoStudiesNameNoStudy() {
        StowOutcomes outcomes = new StowOutcomes("PACS", null);
        outcomes.pending(CompletableFuture.completedFuture(stored("1.1", "1.2.3")), "cls", "1.1");
        outcomes.pending(CompletableFuture.completedFuture(stored("1.2", "1.2.4")), "cls", "1.2");
        assertNull(outcomes.result(1).studyUid());
    }
}
