package org.dicomweb.gateway.core.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.config.CacheSettings;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.core.transcode.CodecFixtures;
import org.dicomweb.gateway.core.wado.CachedPixelService;
import org.dicomweb.gateway.core.wado.StudyLeases;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * Frames of an instance whose study is not cached, over a real (empty) cache in a temp directory and a fake PACS that
 * serves a real Part 10 CT slice of work/samples for whatever instance is asked: only that instance is retrieved, the
 * study is not, and no temporary file is left (core.wado's services; here because the cache is opened with settings of
 * the test's own).
 */
class InstanceFetchTest {

    private static final String AET = "PACS";

    @TempDir
    Path root;

    private Path sample;
    private final List<WadoRequest> asked = new ArrayList<>();
    private boolean hasIt = true;

    @BeforeEach
    void sample() throws IOException {
        sample = CodecFixtures.ctSlice();
    }

    private final WadoService source = new WadoService() {
        @Override
        public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
            asked.add(request);
            return CompletableFuture.completedFuture(new RetrievedInstances() {
                @Override
                public void writeTo(InstanceSink sink) throws IOException {
                    if (hasIt) {
                        Files.copy(sample, sink.nextPart("application/dicom"));
                    }
                    sink.finish(null);
                }

                @Override
                public void abandon() {
                }
            });
        }

        @Override
        public List<String> transferSyntaxes(String aet) {
            return List.of();
        }
    };

    private final QidoService qido = (aet, request) -> {
        throw new AssertionError("an instance-level read searched the PACS: " + request);
    };

    private CachedPixelService pixels() {
        StudyCache cache = new StudyCache();
        cache.open(new CacheSettings(root.resolve("cache"), 1 << 30, 3_600_000, Freshness.ALWAYS, 60_000));
        return new CachedPixelService(new StudyLeases(cache, source, qido, Runnable::run));
    }

    private static Set<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(TempDirectories.of("instance-fetch"))) {
            return files.collect(Collectors.toSet());
        }
    }

    @Test
    void framesOfAnUncachedStudyRetrieveThatInstanceOnly() throws Exception {
        CachedPixelService pixels = pixels();
        Set<Path> before = temporaryFiles();
        String sop = sopInstanceUid(sample);
        WadoRequest instance = new WadoRequest("1.2", "1.2.3", sop, null);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (Frames frames = pixels.frames(AET, instance, List.of(1)).toCompletableFuture().join()) {
            assertEquals(before, temporaryFiles(), "the fetched file is deleted once its frames are open");
            frames.writeTo(new MultipartRelated(body, "b"), Frames.NATIVE_MEDIA_TYPE);
        }
        assertEquals(List.of(new WadoRequest("1.2", "1.2.3", sop, WadoRequest.ANY_TRANSFER_SYNTAX)), asked,
                "the PACS is asked for the instance, not the study");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        MultipartRelated part = new MultipartRelated(expected, "b");
        part.nextPart(Frames.NATIVE_MEDIA_TYPE).write(pixelData(sample));
        part.finish(null);
        assertArrayEquals(expected.toByteArray(), body.toByteArray());
        try (Stream<Path> cached = Files.walk(root.resolve("cache"))) {
            assertFalse(cached.anyMatch(f -> f.toString().endsWith(".dcm")), "the instance is not cached");
        }
    }

    @Test
    void anotherInstanceThanTheOneAskedIsNeverServed() throws Exception {
        CachedPixelService pixels = pixels();
        Set<Path> before = temporaryFiles();
        CompletionException failure = assertThrows(CompletionException.class, () -> pixels.frames(AET,
                new WadoRequest("1.2", "1.2.3", "1.2.3.4", null), List.of(1)).toCompletableFuture().join());
        assertInstanceOf(PeerFailureException.class, failure.getCause());
        assertEquals(before, temporaryFiles());
    }

    private static String sopInstanceUid(Path file) throws IOException {
        return Attribute.getSingleStringValueOrEmptyString(InstanceFile.read(file).dataSet(),
                TagFromName.SOPInstanceUID);
    }

    @Test
    void anInstanceThePacsDoesNotSendIsNotFoundAndLeavesNoFile() throws Exception {
        CachedPixelService pixels = pixels();
        Set<Path> before = temporaryFiles();
        hasIt = false;
        CompletionException failure = assertThrows(CompletionException.class, () -> pixels.frames(AET,
                new WadoRequest("1.2", "1.2.3", "1.2.3.9", null), List.of(1)).toCompletableFuture().join());
        assertInstanceOf(NotFoundInPacsException.class, failure.getCause());
        assertEquals(before, temporaryFiles());
    }

    /** The single frame of a native single-frame instance: its whole pixel data value. */
    private static byte[] pixelData(Path file) throws IOException {
        InstanceFile.PixelData value = InstanceFile.read(file).pixelData().orElseThrow();
        ByteBuffer bytes = ByteBuffer.allocate((int) value.length());
        try (FileChannel channel = FileChannel.open(file)) {
            while (bytes.hasRemaining() && channel.read(bytes, value.offset() + bytes.position()) >= 0) {
                // reads on until the value is whole
            }
        }
        return bytes.array();
    }
}
