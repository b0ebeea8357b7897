package org.dicomweb.gateway.core.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Directories for the gateway's temporary files, under WildFly's temp directory, which the server owns and cleans. */
public final class TempDirectories {

    private TempDirectories() {
    }

    /** {@code name} under WildFly's temp directory (the JVM's outside WildFly), created if missing. */
    public static Path of(String name) {
        String root = System.getProperty("jboss.server.temp.dir", System.getProperty("java.io.tmpdir"));
        Path directory = Path.of(root, name);
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }
}
