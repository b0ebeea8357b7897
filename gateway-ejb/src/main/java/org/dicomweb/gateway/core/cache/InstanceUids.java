package org.dicomweb.gateway.core.cache;

/** The UIDs that place a Part 10 file in the cache. */
public record InstanceUids(String studyUid, String seriesUid, String sopInstanceUid) {
}
