package org.dicomweb.gateway.core.stow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dicomweb.gateway.stow.StowResult;

/**
 * The bookkeeping of one STOW-RS request, whatever stores its instances: exactly one outcome per part, in the order of
 * the body — a failure known while reading it, or what its (possibly still running) store will say — and the
 * {@link StowResult} they add up to, from which the web layer answers 200, 202, 400 or 409. A store that has not
 * answered by its deadline is reported failed, never stored.
 */
public final class StowOutcomes {

    /** Failure reasons of PS3.18 §10.5.3 / PS3.4 B.2.3 that the gateway itself gives. */
    public static final int PROCESSING_FAILURE = 0x0110;
    public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    /** PS3.7 Annex C: the instance is stored already (and the backend does not replace it). */
    public static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    public static final int OUT_OF_RESOURCES = 0xA700;
    public static final int CANNOT_UNDERSTAND = 0xC000;
    /** The instance belongs to another study than the request's path names (as dcm4chee-arc answers it). */
    public static final int STUDY_UID_MISMATCH = 0xC409;

    /** A part's outcome: a Stored or a Failed, with the UIDs to report if it never comes. */
    private record Entry(Future<Object> outcome, String sopClassUid, String sopInstanceUid) {
    }

    private final String peer;
    private final String studyUid;
    private final List<Entry> entries = new ArrayList<>();

    /** {@code peer} names who stores (for messages); {@code studyUid} is the request path's study, or null. */
    public StowOutcomes(String peer, String studyUid) {
        this.peer = peer;
        this.studyUid = studyUid;
    }

    /** "part N" of the part about to be added, for messages. */
    public String nextPart() {
        return "part " + (entries.size() + 1);
    }

    /** A part whose store runs: {@code outcome} completes with a {@link StowResult.Stored} or {@link StowResult.Failed}. */
    public void pending(Future<Object> outcome, String sopClassUid, String sopInstanceUid) {
        entries.add(new Entry(outcome, sopClassUid, sopInstanceUid));
    }

    public void known(StowResult.Failed failure) {
        entries.add(new Entry(CompletableFuture.completedFuture(failure), failure.sopClassUid(),
                failure.sopInstanceUid()));
    }

    /** A part that is not an instance at all ({@code why} follows "part N "). */
    public void rejected(String why) {
        known(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, nextPart() + " " + why));
    }

    /** The body could not be read on after the parts so far. */
    public void bodyFailed(String why) {
        known(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, why));
    }

    /** The request names a study and the instance is of another: refused before it is stored. */
    public boolean refusedForStudy(String sopClassUid, String sopInstanceUid, String instanceStudyUid) {
        if (studyUid == null || studyUid.equals(instanceStudyUid)) {
            return false;
        }
        known(new StowResult.Failed(sopClassUid, sopInstanceUid, STUDY_UID_MISMATCH,
                "belongs to study " + instanceStudyUid + ", not " + studyUid));
        return true;
    }

    /** Waits for each store at most {@code deadlineMs} (each counted on its own: they ran in parallel). */
    public StowResult result(long deadlineMs) {
        List<StowResult.Stored> stored = new ArrayList<>();
        List<StowResult.Failed> failed = new ArrayList<>();
        for (Entry entry : entries) {
            Object outcome;
            try {
                outcome = entry.outcome().get(deadlineMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                outcome = failure(entry, peer + ": no store response within " + deadlineMs + " ms");
            } catch (ExecutionException e) {
                outcome = failure(entry, String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = failure(entry, "the request was interrupted before " + peer + " answered");
            }
            if (outcome instanceof StowResult.Stored s) {
                stored.add(s);
            } else {
                failed.add((StowResult.Failed) outcome);
            }
        }
        List<String> studies = stored.stream().map(StowResult.Stored::studyUid).distinct().toList();
        String study = studyUid != null ? studyUid : studies.size() == 1 ? studies.get(0) : null;
        return new StowResult(study, List.copyOf(stored), List.copyOf(failed));
    }

    private static StowResult.Failed failure(Entry entry, String why) {
        return new StowResult.Failed(entry.sopClassUid(), entry.sopInstanceUid(), PROCESSING_FAILURE, why);
    }
}
