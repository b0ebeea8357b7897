package org.dicomweb.gateway.dimse;

/**
 * A snapshot of one AE's association pool: associations open (idle + in use), idle, in use, and callers waiting for
 * one to become free.
 */
public record PoolStats(String aet, int open, int idle, int inUse, int waiting, int maxSize) {
}
