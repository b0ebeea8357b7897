package org.dicomweb.gateway.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dicomweb.gateway.core.cache.CopyRetrieval;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.config.CacheSettings;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * The cache's bookkeeping with a fake PACS: each "instance" is a file whose text is "{study} {series} {sop}", which
 * the fake identifier reads back.
 */
class StudyCacheTest {

    private static final Executor EXECUTOR = Runnable::run;

    @TempDir
    Path root;

    private final AtomicInteger retrievals = new AtomicInteger();

    private StudyCache cache(long maxSizeBytes) {
        StudyCache cache = new StudyCache();
        cache.identifier = file -> {
            String[] uids = Files.readString(file).split(" ");
            if (uids.length < 3) {
                throw new IOException(file + " is not an instance");
            }
            return new InstanceUids(uids[0], uids[1], uids[2], "1.2.840.10008.1.2.1");
        };
        cache.open(new CacheSettings(root, maxSizeBytes, 3_600_000, CacheSettings.Freshness.VALIDATE, 60_000));
        return cache;
    }

    /** A retrieval of {@code sops} instances of one series; it fails before the last if {@code failAtLast}. */
    private CopyRetrieval pacs(String study, int sops, String epilogue,
            boolean failAtLast, CompletableFuture<Void> gate) {
        return copy -> {
            retrievals.incrementAndGet();
            RetrievedInstances instances = new RetrievedInstances() {
                @Override
                public void writeTo(InstanceSink sink) throws IOException {
                    for (int i = 1; i <= sops; i++) {
                        if (failAtLast && i == sops) {
                            throw new IOException("association aborted");
                        }
                        OutputStream part = sink.nextPart("application/dicom");
                        part.write((study + " 1.1 1.1." + i).getBytes(StandardCharsets.US_ASCII));
                    }
                    sink.finish(epilogue);
                }

                @Override
                public void abandon() {
                }
            };
            return gate.thenApply(ignored -> instances);
        };
    }

    private CopyRetrieval pacs(String study, int sops) {
        return pacs(study, sops, null, false, CompletableFuture.completedFuture(null));
    }

    private static CachedStudy get(CompletionStage<CachedStudy> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long filesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void concurrentRequestsShareOneRetrievalAndLaterOnesUseTheFiles() throws Exception {
        StudyCache cache = cache(1 << 20);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletionStage<CachedStudy> first = cache.study("PACS", "1.2", pacs("1.2", 3, null, false, gate), EXECUTOR);
        CompletionStage<CachedStudy> second = cache.study("PACS", "1.2", pacs("1.2", 3, null, false, gate), EXECUTOR);
        gate.complete(null);
        try (CachedStudy a = get(first); CachedStudy b = get(second); CachedStudy c = get(
                cache.study("PACS", "1.2", pacs("1.2", 3), EXECUTOR))) {
            assertEquals(1, retrievals.get());
            assertEquals(List.of("1.1.1", "1.1.2", "1.1.3"), c.instances().stream()
                    .map(CachedInstance::sopInstanceUid).toList());
            assertEquals("1.2 1.1 1.1.2", Files.readString(a.instance("1.1", "1.1.2").orElseThrow().file()));
        }
    }

    @Test
    void aFailedRetrievalLeavesNothingAndIsRetriedNextTime() throws Exception {
        StudyCache cache = cache(1 << 20);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> get(cache.study("PACS", "1.2", pacs("1.2", 3, null, true, CompletableFuture.completedFuture(null)),
                        EXECUTOR)));
        assertInstanceOf(PeerFailureException.class, failed.getCause());
        assertEquals(0, filesUnder(root));
        try (CachedStudy study = get(cache.study("PACS", "1.2", pacs("1.2", 3), EXECUTOR))) {
            assertEquals(3, study.instances().size());
        }
        assertEquals(2, retrievals.get());
    }

    @Test
    void aRetrievalFailingMidPartLeavesNoFileOpen() throws Exception {
        StudyCache cache = cache(1 << 20);
        // fails after two parts: the second is still being written when the retrieval ends
        assertThrows(ExecutionException.class, () -> get(cache.study("PACS", "1.2",
                pacs("1.2", 3, null, true, CompletableFuture.completedFuture(null)), EXECUTOR)));
        assertEquals(List.of(), openFilesUnder(root));
    }

    @Test
    void aRetrievalWithNoThreadToReceiveItIsAbandonedAtOnce() throws Exception {
        StudyCache cache = cache(1 << 20);
        AtomicInteger abandoned = new AtomicInteger();
        RetrievedInstances instances = new RetrievedInstances() {
            @Override
            public void writeTo(InstanceSink sink) {
                throw new AssertionError("nothing may write it");
            }

            @Override
            public void abandon() {
                abandoned.incrementAndGet();
            }
        };
        Executor full = task -> {
            throw new RejectedExecutionException("all DIMSE threads busy");
        };
        ExecutionException failed = assertThrows(ExecutionException.class, () -> get(cache.study("PACS", "1.2",
                copy -> CompletableFuture.completedFuture(instances), full)));
        assertInstanceOf(GatewayBusyException.class, failed.getCause());
        assertEquals(1, abandoned.get(), "the retrieval is cancelled, its association freed");
    }

    /** This process's open file descriptors on files under {@code directory} (Linux: /proc/self/fd). */
    private static List<Path> openFilesUnder(Path directory) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (IOException closedMeanwhile) {
                    return Path.of("");
                }
            }).filter(target -> target.startsWith(directory.toAbsolutePath())).toList();
        }
    }

    @Test
    void aRetrievalWithFailedSubOperationsIsNotCached() throws Exception {
        StudyCache cache = cache(1 << 20);
        ExecutionException failed = assertThrows(ExecutionException.class, () -> get(cache.study("PACS", "1.2",
                pacs("1.2", 2, "Warning: 1 failed", false, CompletableFuture.completedFuture(null)), EXECUTOR)));
        assertInstanceOf(PeerFailureException.class, failed.getCause());
        assertEquals(0, filesUnder(root));
    }

    @Test
    void theLeastRecentlyUsedStudyIsEvictedButOnlyDeletedOnceItsReaderIsDone() throws Exception {
        StudyCache cache = cache(40); // each study here is 3 files of 13 bytes
        CachedStudy reading = get(cache.study("PACS", "1.2", pacs("1.2", 3), EXECUTOR));
        Path file = reading.instances().get(0).file();
        get(cache.study("PACS", "1.3", pacs("1.3", 3), EXECUTOR)).close();
        assertTrue(Files.exists(file), "still being read");
        reading.close();
        assertFalse(Files.exists(file), "deleted once read");
        Path studyDirectory = file.getParent().getParent().getParent(); // {aet}/{study}/{retrieved at}/{series}/file
        assertEquals("1.2", studyDirectory.getFileName().toString());
        assertFalse(Files.exists(studyDirectory), "no empty directory left for the study");
        get(cache.study("PACS", "1.3", pacs("1.3", 3), EXECUTOR)).close();
        get(cache.study("PACS", "1.2", pacs("1.2", 3), EXECUTOR)).close();
        assertEquals(3, retrievals.get(), "1.3 was cached; 1.2 had been evicted");
    }

    @Test
    void completeStudiesSurviveARestartAndUnfinishedOnesDoNot() throws Exception {
        get(cache(1 << 20).study("PACS/1", "1.2", pacs("1.2", 3), EXECUTOR)).close();
        Files.createDirectories(root.resolve(".staging/left-over")).resolve("part-1").toFile().createNewFile();
        StudyCache restarted = cache(1 << 20);
        try (CachedStudy study = get(restarted.study("PACS/1", "1.2", pacs("1.2", 3), EXECUTOR))) {
            assertEquals(3, study.instances().size());
        }
        assertEquals(1, retrievals.get());
        assertFalse(Files.exists(root.resolve(".staging/left-over")));
    }

    @Test
    void aCopyWithAnUnreadableFileIsDroppedAtRestartAndRetrievedAgain() throws Exception {
        Path file;
        try (CachedStudy study = get(cache(1 << 20).study("PACS", "1.2", pacs("1.2", 3), EXECUTOR))) {
            file = study.instances().get(1).file();
            assertEquals("1.2.840.10008.1.2.1", study.instances().get(1).transferSyntaxUid());
        }
        Files.writeString(file, "damaged");
        StudyCache restarted = cache(1 << 20);
        assertEquals(0, filesUnder(root), "the damaged copy is deleted, not served");
        try (CachedStudy study = get(restarted.study("PACS", "1.2", pacs("1.2", 3), EXECUTOR))) {
            assertEquals(3, study.instances().size());
        }
        assertEquals(2, retrievals.get());
    }
}
