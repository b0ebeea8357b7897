package org.dicomweb.gateway.core.cache;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

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

    public List<CachedInstance> instances() {
        return entry.instances();
    }

    public Optional<CachedInstance> instance(String seriesUid, String sopInstanceUid) {
        return entry.instances().stream()
                .filter(i -> i.seriesUid().equals(seriesUid) && i.sopInstanceUid().equals(sopInstanceUid))
                .findFirst();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            entry.release();
        }
    }
}
