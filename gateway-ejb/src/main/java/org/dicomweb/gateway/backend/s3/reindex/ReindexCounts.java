package org.dicomweb.gateway.backend.s3.reindex;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.dicomweb.gateway.reindex.ReindexStatus;
import org.dicomweb.gateway.reindex.ReindexStatus.State;

/**
 * What a run has done so far, kept by its one thread, and the status it shows: counts, and the first failed keys
 * with their reasons, so that the message stays short whatever the number of failures.
 */
final class ReindexCounts {

    /** Failed keys named in the message; the count says how many more. */
    static final int NAMED_FAILURES = 5;

    private final String aet;
    private final Instant started;
    private long listed;
    private long indexed;
    private long unchanged;
    private long failed;
    private long removed;
    private final List<String> failures = new ArrayList<>();

    ReindexCounts(String aet, Instant started) {
        this.aet = aet;
        this.started = started;
    }

    Instant started() {
        return started;
    }

    void listed(int objects) {
        listed += objects;
    }

    void indexed() {
        indexed++;
    }

    void unchanged() {
        unchanged++;
    }

    void failed(String key, String reason) {
        failed++;
        if (failures.size() < NAMED_FAILURES) {
            failures.add(key + ": " + reason);
        }
    }

    void removed(int rows) {
        removed += rows;
    }

    /** Objects and rows dealt with: what progress is measured in. */
    long done() {
        return indexed + unchanged + failed + removed;
    }

    /** The status while running ({@code finished} null) or at the end; {@code stopped} why a run failed, or null. */
    ReindexStatus status(State state, Instant finished, String stopped) {
        List<String> parts = new ArrayList<>();
        if (stopped != null) {
            parts.add("stopped: " + stopped);
        }
        if (failed > 0) {
            parts.add(failed + " object(s) could not be indexed: " + String.join("; ", failures)
                    + (failed > failures.size() ? "; and " + (failed - failures.size()) + " more" : ""));
        }
        return new ReindexStatus(aet, state, started, finished, listed, indexed, unchanged, failed, removed,
                parts.isEmpty() ? null : String.join(". ", parts));
    }
}
