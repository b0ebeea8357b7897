package org.dicomweb.gateway.core.config;

import java.nio.file.Path;

/** The instance cache: where its files live, how many bytes of studies it keeps, and for how long. */
public record CacheSettings(Path directory, long maxSizeBytes, long maxAgeMs) {
}
