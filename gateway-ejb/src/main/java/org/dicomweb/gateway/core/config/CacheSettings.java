package org.dicomweb.gateway.core.config;

import java.nio.file.Path;

/**
 * The instance cache: where its files live, how many bytes of studies it keeps, for how long, how a copy is judged
 * fresh enough to serve, and how long a reader following a copy as it arrives waits for its next instance.
 */
public record CacheSettings(Path directory, long maxSizeBytes, long maxAgeMs, Freshness freshness,
        long arrivalTimeoutMs) {

    /** gateway.cache.freshness (docs/configuration.md). */
    public enum Freshness {
        /** WADO-RS instance retrievals always go to the PACS; metadata and pixels come from copies within max age. */
        ALWAYS,
        /** A study or series is served from the cache only once the PACS's instance counts for it match the copy's. */
        VALIDATE,
        /** A copy within max age is served as it is. */
        TRUST
    }
}
