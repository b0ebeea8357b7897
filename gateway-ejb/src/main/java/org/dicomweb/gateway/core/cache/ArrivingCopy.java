package org.dicomweb.gateway.core.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * A study's copy while its retrieval is under way, instance by instance: a reader follows it as the files are placed
 * (each one complete, in its final place) instead of waiting for the last one, e.g. to write the metadata of a cold
 * series while the rest of the study is still coming. A retrieval that goes series by series says when each one is
 * complete, and takes the series readers asked for first. The copy is not in the cache yet: a reader also takes the
 * study's lease (the fill's outcome), which keeps the files once the copy is in; until then, a reader that
 * {@link #follow}s keeps them, so that a failure later in the study does not take the files of a series being sent.
 */
public final class ArrivingCopy {

    private final String description;
    private final List<CachedInstance> placed = new ArrayList<>();
    /** Of each series complete: how many instances were placed then (its own all among them). */
    private final Map<String, Integer> completeAt = new HashMap<>();
    private final Set<String> asked = new LinkedHashSet<>();
    private PartInProgress inProgress = () -> { };
    private int readers;
    private Runnable discard;
    private boolean ended;
    private RuntimeException failure;

    ArrivingCopy(String description) {
        this.description = description;
    }

    synchronized void placed(CachedInstance instance) {
        placed.add(instance);
        notifyAll();
    }

    /** The fill's part being received: a part is placed once the next begins, or the retrieval has said all. */
    interface PartInProgress {
        void place() throws IOException;
    }

    void receivingWith(PartInProgress part) {
        inProgress = part;
    }

    /**
     * The retrieval has sent every instance of the series (on the fill's thread, between two series): its last one is
     * placed now, and those placed later are of other series.
     */
    public void seriesComplete(String seriesUid) throws IOException {
        inProgress.place();
        synchronized (this) {
            completeAt.put(seriesUid, placed.size());
            notifyAll();
        }
    }

    /** A reader waits for the series: a retrieval going series by series takes it next (if not done already). */
    public synchronized void ask(String seriesUid) {
        asked.add(seriesUid);
    }

    /** Which of {@code remaining} (not empty) a retrieval going series by series should take next. */
    public synchronized String nextSeries(List<String> remaining) {
        return asked.stream().filter(remaining::contains).findFirst().orElse(remaining.get(0));
    }

    /** The retrieval ended: every instance is placed ({@code failure} null), or it failed and its files are going. */
    synchronized void ended(RuntimeException failure) {
        ended = true;
        this.failure = failure;
        notifyAll();
    }

    /**
     * The {@code index}th instance placed (from 0), waiting for it: empty once the retrieval ended with fewer, or, if
     * {@code seriesUid} is not null, once that series is complete and the instance would be placed after it. Throws
     * the retrieval's failure (a {@link org.dicomweb.gateway.error.GatewayException} naming the PACS) unless that
     * series was complete before, and a 504 if nothing arrived and nothing ended for {@code timeoutMs}
     * (gateway.cache.arrival-timeout-ms).
     */
    public synchronized Optional<CachedInstance> await(int index, String seriesUid, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (placed.size() <= index && !ended && !pastComplete(index, seriesUid)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new PeerTimeoutException("no instance of " + description + " arrived for " + timeoutMs
                        + " ms (gateway.cache.arrival-timeout-ms)", null);
            }
            try {
                wait(left / 1_000_000L + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerTimeoutException("interrupted while waiting for " + description, null);
            }
        }
        Integer complete = seriesUid == null ? null : completeAt.get(seriesUid);
        if (complete != null) {
            // The series is all in: what happens to the rest of the study does not concern its reader.
            return index < complete ? Optional.of(placed.get(index)) : Optional.empty();
        }
        if (failure != null) {
            throw failure;
        }
        return index < placed.size() ? Optional.of(placed.get(index)) : Optional.empty();
    }

    private boolean pastComplete(int index, String seriesUid) {
        Integer complete = seriesUid == null ? null : completeAt.get(seriesUid);
        return complete != null && index >= complete;
    }

    /** A reader begins to follow the copy: its files stay until {@link #unfollow}, even if the retrieval fails. */
    public synchronized void follow() {
        readers++;
    }

    /** The reader is done with the copy's files. */
    public void unfollow() {
        Runnable due;
        synchronized (this) {
            readers--;
            due = readers == 0 ? discard : null;
            if (due != null) {
                discard = null;
            }
        }
        if (due != null) {
            due.run();
        }
    }

    /** A failed retrieval's files: deleted now, or once the last reader following the copy is done. */
    void discardOnceRead(Runnable deletion) {
        synchronized (this) {
            if (readers > 0) {
                discard = deletion;
                return;
            }
        }
        deletion.run();
    }
}
