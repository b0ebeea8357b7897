package org.dicomweb.gateway.core.cache;

import java.nio.file.Path;

/** One instance of a cached study: its Part 10 file. */
public record CachedInstance(String seriesUid, String sopInstanceUid, Path file) {
}
