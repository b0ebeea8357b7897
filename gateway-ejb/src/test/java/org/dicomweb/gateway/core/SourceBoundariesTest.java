package org.dicomweb.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@link BoundariesTest} reads the compiled classes, so it cannot see an import nobody uses yet, nor a name only a
 * comment mentions. This reads the sources: no file of the core names a backend's package, no backend names another's.
 */
class SourceBoundariesTest {

    private static final Path SOURCES = Path.of("src/main/java/org/dicomweb/gateway");
    private static final Pattern BACKEND_REFERENCE = Pattern.compile("org\\.dicomweb\\.gateway\\.backend\\.(\\w+)");

    @Test
    void coreAndBackendsNameOnlyWhatTheyMay() throws IOException {
        assertTrue(Files.isDirectory(SOURCES.resolve("core")), "run from gateway-ejb: " + SOURCES.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String area = relative.getName(0).toString();
                String ownBackend = area.equals("backend") ? relative.getName(1).toString() : null;
                Matcher reference = BACKEND_REFERENCE.matcher(Files.readString(file));
                while (reference.find()) {
                    boolean allowed = ownBackend != null && ownBackend.equals(reference.group(1));
                    if (!allowed && (area.equals("core") || ownBackend != null)) {
                        violations.add(relative + " names " + reference.group());
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "the core names no backend, and no backend another (docs/architecture.md)");
    }
}
