package org.dicomweb.gateway.core.cache;

import java.nio.file.Path;

/** One instance of a cached study: its Part 10 file, and the transfer syntax that file is in. */
public record CachedInstance(String seriesUid, String sopInstanceUid, String transferSyntaxUid, Path file) {
}
