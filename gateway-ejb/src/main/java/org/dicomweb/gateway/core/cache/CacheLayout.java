package org.dicomweb.gateway.core.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where the cache keeps files: {@code {root}/{aet}/{study}/{retrieval began, epoch ms}/{series}/{instance}.dcm}. A
 * retrieval receives each part under {@code {root}/.staging}, then moves it into its copy's directory, which holds a
 * {@code .filling} marker until the last one is in: a copy without it is complete, one with it is deleted after a
 * restart. The time in the path lets a newer copy replace an older one that is still being read, and tells the age of
 * a copy found after a restart.
 */
final class CacheLayout {

    private static final Logger LOG = Logger.getLogger(CacheLayout.class.getName());
    private static final String STAGING = ".staging";
    private static final String SUFFIX = ".dcm";
    private static final String FILLING = ".filling";

    private final Path root;

    CacheLayout(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path newStagingDirectory() throws IOException {
        return Files.createDirectories(root.resolve(STAGING).resolve(UUID.randomUUID().toString()));
    }

    /** Where a received instance goes inside a staging or study directory. */
    static Path instancePath(Path directory, String seriesUid, String sopInstanceUid) {
        return directory.resolve(seriesUid).resolve(sopInstanceUid + SUFFIX);
    }

    /**
     * A new copy's directory, marked as being filled: named by when its retrieval began (a later millisecond if a
     * copy of that name is still there). The study's directory may be deleted in between by the eviction of its last
     * copy: then it is made again.
     */
    Path newCopyDirectory(StudyKey key, long startedAtMs) throws IOException {
        Path study = root.resolve(encode(key.aet())).resolve(key.studyUid());
        for (long name = startedAtMs, attempt = 1; ; attempt++) {
            Files.createDirectories(study);
            try {
                Path copy = Files.createDirectory(study.resolve(Long.toString(name)));
                Files.createFile(copy.resolve(FILLING));
                return copy;
            } catch (FileAlreadyExistsException olderCopyOfThatName) {
                name++;
            } catch (NoSuchFileException studyDirectoryJustDeleted) {
                if (attempt == 3) {
                    throw studyDirectoryJustDeleted;
                }
            }
        }
    }

    /** The copy holds every instance: it may be used after a restart. */
    static void markComplete(Path copy) throws IOException {
        Files.delete(copy.resolve(FILLING));
    }

    /**
     * The instances under a study or staging directory, by their paths; each file's header is read for its transfer
     * syntax (the file system holds it nowhere else, and a copy found after a restart must say it too).
     */
    static List<CachedInstance> instancesIn(Path directory, InstanceIdentifier identifier) throws IOException {
        List<CachedInstance> instances = new ArrayList<>();
        for (Path seriesDirectory : list(directory).stream().sorted().toList()) {
            try (Stream<Path> files = Files.list(seriesDirectory)) {
                for (Path file : files.sorted().toList()) {
                    instances.add(new CachedInstance(seriesDirectory.getFileName().toString(),
                            file.getFileName().toString().replace(SUFFIX, ""),
                            identifier.identify(file).transferSyntaxUid(), file));
                }
            }
        }
        return instances;
    }

    static long sizeOf(List<CachedInstance> instances) throws IOException {
        long bytes = 0;
        for (CachedInstance instance : instances) {
            bytes += Files.size(instance.file());
        }
        return bytes;
    }

    /**
     * What a previous deployment left: the newest copy of each study becomes an entry (when its retrieval began is not
     * known: no count taken in this deployment is acknowledged for it); older copies and unfinished
     * retrievals are deleted, and so is a copy with a file that cannot be read (a damaged disk must not stop the
     * deployment; the study is retrieved again when asked).
     */
    List<StudyEntry> recover(InstanceIdentifier identifier) throws IOException {
        deleteQuietly(root.resolve(STAGING));
        List<StudyEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        for (Path aetDirectory : list(root)) {
            for (Path studyDirectory : list(aetDirectory)) {
                List<Path> copies = list(studyDirectory).stream()
                        .filter(copy -> copy.getFileName().toString().matches("[0-9]+"))
                        .filter(CacheLayout::completeOrDeleted)
                        .sorted(Comparator.comparingLong(copy -> Long.parseLong(copy.getFileName().toString())))
                        .toList();
                if (copies.isEmpty()) {
                    continue; // not the cache's
                }
                Path newest = copies.get(copies.size() - 1);
                copies.subList(0, copies.size() - 1).forEach(CacheLayout::deleteQuietly);
                List<CachedInstance> instances;
                try {
                    instances = instancesIn(newest, identifier);
                } catch (IOException | RuntimeException unreadable) {
                    LOG.log(Level.WARNING, "dropping " + newest + " from the instance cache", unreadable);
                    deleteCopy(newest);
                    continue;
                }
                entries.add(new StudyEntry(
                        new StudyKey(decode(aetDirectory.getFileName().toString()),
                                studyDirectory.getFileName().toString()),
                        newest, 0, Long.parseLong(newest.getFileName().toString()), sizeOf(instances), instances));
            }
        }
        return entries;
    }

    /** A copy a retrieval was filling when the server stopped is deleted. */
    private static boolean completeOrDeleted(Path copy) {
        if (Files.exists(copy.resolve(FILLING))) {
            deleteQuietly(copy);
            return false;
        }
        return true;
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory).toList();
        }
    }

    /**
     * Deletes a study's copy, then the study's directory if no other copy is in it: else a directory per study ever
     * retrieved would stay behind. A fill that is moving a new copy in at that moment tries again (see StudyCache).
     */
    static void deleteCopy(Path copy) {
        deleteQuietly(copy);
        try {
            Files.deleteIfExists(copy.getParent());
        } catch (IOException notEmptyOrInUse) {
            // another copy is there or arriving: the directory is still the study's
        }
    }

    static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "cannot delete " + directory + " from the instance cache", e);
        }
    }

    /** AE titles may hold any printable character, '/' and '.' too: all but letters, digits, '-' and '_' escaped. */
    static String encode(String aet) {
        StringBuilder name = new StringBuilder();
        for (byte b : aet.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '_') {
                name.append(c);
            } else {
                name.append(String.format("%%%02X", b & 0xFF));
            }
        }
        return name.toString();
    }

    static String decode(String name) {
        return URLDecoder.decode(name, StandardCharsets.UTF_8);
    }
}
