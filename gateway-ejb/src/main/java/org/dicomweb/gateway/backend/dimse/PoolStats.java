package org.dicomweb.gateway.backend.dimse;

import org.dicomweb.gateway.aets.PoolState;

/**
 * A snapshot of one AE's association pool: associations open (idle + in use), idle, in use, and callers waiting for
 * one to become free.
 */
public record PoolStats(String aet, int open, int idle, int inUse, int waiting, int maxSize) {

    /** As the gateway's clients see it, for a pool serving {@code purpose}. */
    PoolState as(String purpose) {
        return new PoolState(purpose, open, idle, inUse, waiting, maxSize);
    }
}
