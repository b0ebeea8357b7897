package org.dicomweb.gateway.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A study in the cache: its directory, when it was retrieved, its size, and who is reading it. An evicted entry's
 * directory is deleted when its last lease is closed, so a reader never loses files midway.
 */
final class StudyEntry {

    private final StudyKey key;
    private final Path directory;
    private final long fetchedAtMs;
    private final long bytes;
    private final List<CachedInstance> instances;
    private long lastAccessMs;
    private int leases;
    private boolean evicted;

    StudyEntry(StudyKey key, Path directory, long fetchedAtMs, long bytes, List<CachedInstance> instances) {
        this.key = key;
        this.directory = directory;
        this.fetchedAtMs = fetchedAtMs;
        this.bytes = bytes;
        this.instances = List.copyOf(instances);
        this.lastAccessMs = fetchedAtMs;
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

    synchronized long lastAccessMs() {
        return lastAccessMs;
    }

    boolean expired(long nowMs, long maxAgeMs) {
        return nowMs - fetchedAtMs > maxAgeMs;
    }

    /** A lease, or empty if the entry was evicted in the meantime (the caller looks the study up again). */
    synchronized Optional<CachedStudy> lease(long nowMs) {
        if (evicted) {
            return Optional.empty();
        }
        leases++;
        lastAccessMs = nowMs;
        return Optional.of(new CachedStudy(this));
    }

    synchronized void release() {
        leases--;
        if (evicted && leases == 0) {
            CacheLayout.deleteQuietly(directory);
        }
    }

    synchronized void evict() {
        evicted = true;
        if (leases == 0) {
            CacheLayout.deleteQuietly(directory);
        }
    }
}
