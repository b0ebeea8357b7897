package org.dicomweb.gateway.cache;

/** The UIDs that place a Part 10 file in the cache. */
public record InstanceUids(String studyUid, String seriesUid, String sopInstanceUid) {
}
