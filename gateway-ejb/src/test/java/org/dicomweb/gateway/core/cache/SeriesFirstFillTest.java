package org.dicomweb.gateway.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.config.CacheSettings;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.core.wado.CachedMetadataService;
import org.dicomweb.gateway.core.wado.StudyLeases;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.testdata.CtImages;
import org.dicomweb.gateway.testdata.JsonMatches;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * A study read first by one of its series: the fill retrieves that series first (SERIES level), the metadata of it is
 * answered once it is in while the other series is still held back at the PACS, and the rest of the study follows in
 * the same fill, so that a study read afterwards retrieves nothing more. Real Part 10 CT images in a real cache (temp
 * directory), a fake PACS that holds back one series until told, and a fake series-level search listing the study's
 * series the other one first.
 */
class SeriesFirstFillTest {

    private static final String AET = "PACS";
    private static final String STUDY = "1.2.9";
    private static final String HELD_BACK = "1.2.9.1";
    private static final String ASKED = "1.2.9.2";

    @TempDir
    Path root;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    /** Part 10 files by series, in the PACS's order (the held-back series first). */
    private final Map<String, List<Path>> pacs = new LinkedHashMap<>();
    private final List<String> retrieved = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private boolean heldBackFails;

    @BeforeEach
    void study() throws Exception {
        for (String series : List.of(HELD_BACK, ASKED)) {
            List<Path> files = new ArrayList<>();
            for (int i = 1; i <= (series.equals(ASKED) ? 3 : 2); i++) {
                String sop = series + "." + i;
                files.add(CtImages.write(CtImages.image(STUDY, series, sop, 4, 4, 1, new short[16]),
                        Files.createDirectories(root.resolve("pacs")).resolve(sop + ".dcm")));
            }
            pacs.put(series, files);
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    private final WadoService source = new WadoService() {
        @Override
        public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
            retrieved.add(request.seriesUid() == null ? "study" : request.seriesUid());
            List<Path> files = new ArrayList<>();
            pacs.forEach((series, ofSeries) -> {
                if (request.seriesUid() == null || request.seriesUid().equals(series)) {
                    files.addAll(ofSeries);
                }
            });
            return CompletableFuture.completedFuture(new RetrievedInstances() {
                @Override
                public void writeTo(InstanceSink sink) throws IOException {
                    for (Path file : files) {
                        if (file.getFileName().toString().startsWith(HELD_BACK)) {
                            awaitRelease();
                            if (heldBackFails) {
                                throw new PeerFailureException(AET + ": association aborted", null);
                            }
                        }
                        Files.copy(file, sink.nextPart("application/dicom"));
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

    private void awaitRelease() throws IOException {
        try {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the held-back series");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /** A series-level search of the study, with NumberOfSeriesRelatedInstances, in the PACS's order. */
    private final QidoService qido = (aet, request) -> {
        assertEquals(QidoResource.STUDY_SERIES, request.resource());
        JsonArrayBuilder matches = Json.createArrayBuilder();
        pacs.forEach((series, files) -> matches.add(Json.createObjectBuilder()
                .add("0020000E", Json.createObjectBuilder().add("vr", "UI").add("Value", Json.createArrayBuilder()
                        .add(series)))
                .add("00201209", Json.createObjectBuilder().add("vr", "IS").add("Value", Json.createArrayBuilder()
                        .add(files.size())))));
        return CompletableFuture.completedFuture(new JsonMatches(matches.build().toString()));
    };

    private StudyCache cache;

    private CachedMetadataService metadata() {
        cache = new StudyCache();
        cache.identifier = file -> {
            AttributeList list = new AttributeList();
            try (InputStream in = Files.newInputStream(file)) {
                list.read(new DicomInputStream(in), (read, tag, bytesRead) -> tag.getGroup() > 0x0020);
            } catch (DicomException e) {
                throw new IOException(e);
            }
            return new InstanceUids(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID),
                    Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID));
        };
        cache.open(new CacheSettings(root.resolve("cache"), 1 << 30, 3_600_000, Freshness.VALIDATE, 10_000));
        return new CachedMetadataService(new StudyLeases(cache, source, qido, executor), 1024);
    }

    private static Set<String> sops(DicomJsonBody body) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        body.writeTo(json);
        Set<String> sops = new TreeSet<>();
        for (JsonValue instance : Json.createReader(new StringReader(json.toString())).readArray()) {
            sops.add(instance.asJsonObject().getJsonObject("00080018").getJsonArray("Value").getString(0));
        }
        return sops;
    }

    private static DicomJsonBody within5s(CompletionStage<DicomJsonBody> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theSeriesAskedIsAnsweredWhileTheRestOfTheStudyIsStillComingAndTheStudyThenNeedsNoRetrieval()
            throws Exception {
        CachedMetadataService metadata = metadata();
        Set<String> ofAsked = sops(within5s(metadata.metadata(AET, new WadoRequest(STUDY, ASKED, null, null), "")));
        assertEquals(Set.of(ASKED + ".1", ASKED + ".2", ASKED + ".3"), ofAsked,
                "answered with the held-back series not yet sent");
        assertEquals(ASKED, retrieved.get(0), "the series asked first, at SERIES level");

        release.countDown();
        Set<String> whole = sops(within5s(metadata.metadata(AET, new WadoRequest(STUDY, null, null, null), "")));
        assertEquals(5, whole.size(), whole.toString());
        assertEquals(List.of(ASKED, HELD_BACK), retrieved, "the rest of the study came in the same fill: nothing more");
    }

    @Test
    void aFailureLaterInTheStudyLeavesTheSeriesAnsweredAndNothingCached() throws Exception {
        heldBackFails = true;
        CachedMetadataService metadata = metadata();
        DicomJsonBody ofAsked = within5s(metadata.metadata(AET, new WadoRequest(STUDY, ASKED, null, null), ""));
        release.countDown(); // the rest of the study now fails while that series' metadata is yet to be written
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cache.filling(AET, STUDY) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(cache.filling(AET, STUDY), "the fill ended");
        assertEquals(3, sops(ofAsked).size(), "the series was complete: its files stayed until it was written");

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> within5s(metadata.metadata(AET, new WadoRequest(STUDY, HELD_BACK, null, null), "")));
        assertInstanceOf(PeerFailureException.class, failed.getCause(), failed.toString());
        try (Stream<Path> left = Files.walk(root.resolve("cache"))) {
            assertFalse(left.anyMatch(path -> path.toString().endsWith(".dcm")), "the failed copy is deleted");
        }
        assertTrue(retrieved.size() >= 2, retrieved.toString());
    }
}
