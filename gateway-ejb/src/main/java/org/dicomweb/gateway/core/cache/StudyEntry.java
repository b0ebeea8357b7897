package org.dicomweb.gateway.core.cache;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A study in the cache: its directory, when it was retrieved, its size, and who is reading it. An evicted entry's
 * directory is deleted when its last lease is closed, so a reader never loses files midway.
 */
final class StudyEntry {

    /** Orders uses: two studies used within the same millisecond must still have a least recently used one. */
    private static final AtomicLong USES = new AtomicLong();

    private final StudyKey key;
    private final Path directory;
    private final long fetchedAtMs;
    private final long bytes;
    private final List<CachedInstance> instances;
    /** When the retrieval of this copy began: a census taken before then may be acknowledged (see acknowledge). */
    private final long retrievalStartedAtMs;
    private final Map<String, Integer> acknowledged = new HashMap<>();
    private long lastUse;
    private int leases;
    private boolean evicted;

    StudyEntry(StudyKey key, Path directory, long retrievalStartedAtMs, long fetchedAtMs, long bytes,
            List<CachedInstance> instances) {
        this.key = key;
        this.directory = directory;
        this.retrievalStartedAtMs = retrievalStartedAtMs;
        this.fetchedAtMs = fetchedAtMs;
        this.bytes = bytes;
        this.instances = List.copyOf(instances);
        this.lastUse = USES.incrementAndGet();
    }

    StudyKey key() {
        return key;
    }

    long bytes() {
        return bytes;
    }

    List<CachedInstance> instances() {
        return instances;
    }

    /**
     * Records the PACS's instance count of each series in {@code counts}, taken at {@code takenAtMs}, as what this copy
     * stands for, even where the copy holds fewer (a de-identifying AE leaves refused instances out): only if the count
     * was taken before this copy's retrieval began, so that no instance the PACS gained after can be missing from it.
     */
    synchronized void acknowledge(Map<String, Integer> counts, long takenAtMs) {
        if (takenAtMs <= retrievalStartedAtMs) {
            acknowledged.putAll(counts);
        }
    }

    /** The count the PACS gave for the series when this copy was taken, if one was acknowledged. */
    synchronized Optional<Integer> acknowledgedCount(String seriesUid) {
        return Optional.ofNullable(acknowledged.get(seriesUid));
    }

    /** Larger for a study used more recently. */
    synchronized long lastUse() {
        return lastUse;
    }

    boolean expired(long nowMs, long maxAgeMs) {
        return nowMs - fetchedAtMs > maxAgeMs;
    }

    /** A lease, or empty if the entry was evicted in the meantime (the caller looks the study up again). */
    synchronized Optional<CachedStudy> lease() {
        if (evicted) {
            return Optional.empty();
        }
        leases++;
        lastUse = USES.incrementAndGet();
        return Optional.of(new CachedStudy(this));
    }

    synchronized void release() {
        leases--;
        if (evicted && leases == 0) {
            CacheLayout.deleteCopy(directory);
        }
    }

    synchronized void evict() {
        evicted = true;
        if (leases == 0) {
            CacheLayout.deleteCopy(directory);
        }
    }
}
