package org.dicomweb.gateway.core.cache;

/**
 * What places a Part 10 file in the cache (its UIDs) and what it can be served as (the transfer syntax of its file meta
 * information: a WADO-RS retrieval asking another syntax is not served from the file).
 */
public record InstanceUids(String studyUid, String seriesUid, String sopInstanceUid, String transferSyntaxUid) {
}
