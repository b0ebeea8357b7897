package org.dicomweb.gateway.core.cache;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A lease on a completely retrieved study: its files stay on disk until the lease is closed, even if the cache evicts
 * the study meanwhile. The first close counts: the writer and the response's end may both close it.
 */
public final class CachedStudy implements AutoCloseable {

    private final StudyEntry entry;
    private final AtomicBoolean closed = new AtomicBoolean();

    CachedStudy(StudyEntry entry) {
        this.entry = entry;
    }

    StudyEntry entry() {
        return entry;
    }

    public List<CachedInstance> instances() {
        return entry.instances();
    }

    public Optional<CachedInstance> instance(String seriesUid, String sopInstanceUid) {
        return entry.instances().stream()
                .filter(i -> i.seriesUid().equals(seriesUid) && i.sopInstanceUid().equals(sopInstanceUid))
                .findFirst();
    }

    /** See {@link StudyEntry#acknowledge}: {@code counts} by series UID. */
    public void acknowledge(Map<String, Integer> counts, long takenAtMs) {
        entry.acknowledge(counts, takenAtMs);
    }

    /** How many instances of the series the PACS had when this copy was taken, if known; else those cached. */
    public int expectedCount(String seriesUid) {
        return entry.acknowledgedCount(seriesUid).orElseGet(() -> cachedCount(seriesUid));
    }

    /** How many instances of the series this copy holds. */
    public int cachedCount(String seriesUid) {
        return (int) entry.instances().stream().filter(i -> i.seriesUid().equals(seriesUid)).count();
    }

    /** The series UIDs this copy holds instances of. */
    public Set<String> seriesUids() {
        return entry.instances().stream().map(CachedInstance::seriesUid).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            entry.release();
        }
    }
}
