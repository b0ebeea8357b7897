package org.dicomweb.gateway.core.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the study cache did since deployment and what it holds, for its meters (docs/metrics.md). A plain object the
 * meters read without going through the cache bean; the cache writes it under its own monitor.
 */
public final class CacheCounts {

    /** Reads served from the cache. */
    final LongAdder hits = new LongAdder();
    /** Leases that waited for a retrieval another request had started. */
    final LongAdder shared = new LongAdder();
    /** Copies found stale (the PACS's instance counts differed, gateway.cache.freshness=validate). */
    final LongAdder stale = new LongAdder();
    /** Leases that started a retrieval. */
    final LongAdder misses = new LongAdder();
    /** Instance reads of a study neither cached nor being retrieved: the instance retrieved alone, not cached. */
    final LongAdder fetchedAlone = new LongAdder();
    private volatile long bytes;
    private volatile int studies;

    public long hits() {
        return hits.sum();
    }

    public long shared() {
        return shared.sum();
    }

    public long stale() {
        return stale.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long fetchedAlone() {
        return fetchedAlone.sum();
    }

    /** The bytes the cached studies take on disk. */
    public long bytes() {
        return bytes;
    }

    public int studies() {
        return studies;
    }

    void holding(long bytes, int studies) {
        this.bytes = bytes;
        this.studies = studies;
    }
}
