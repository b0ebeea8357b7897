package org.dicomweb.gateway.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.config.CacheSettings;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.core.wado.CachedWadoService;
import org.dicomweb.gateway.core.wado.StudyLeases;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.testdata.JsonMatches;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS retrieval and metadata leases from the cache under each freshness mode (core.wado's services over a real
 * cache in a temp directory; here because the cache is opened with settings of the test's own), against a fake PACS
 * whose instances are files whose text is "{study} {series} {sop} {transfer syntax}", searched through a fake QIDO
 * service that answers as a PACS's series-level C-FIND does, with NumberOfSeriesRelatedInstances or without.
 */
class CachedReadsTest {

    private static final Executor EXECUTOR = Runnable::run;
    private static final String STUDY = "1.2";
    private static final String EXPLICIT = "1.2.840.10008.1.2.1";
    private static final String JPEG = "1.2.840.10008.1.2.4.50";

    @TempDir
    Path root;

    /** The PACS's study: SOP instance UIDs by series. */
    private final Map<String, List<String>> pacs = new TreeMap<>();
    private String syntax = EXPLICIT;
    private boolean seriesCounts = true;
    private final AtomicInteger retrievals = new AtomicInteger();
    private final AtomicInteger searches = new AtomicInteger();
    /** Instances the retrieval leaves out (as a de-identifying AE leaves out those its profile refuses). */
    private int leftOut;

    private StudyCache cache(Freshness freshness) {
        StudyCache cache = new StudyCache();
        cache.identifier = file -> {
            String[] uids = Files.readString(file).split(" ");
            return new InstanceUids(uids[0], uids[1], uids[2], uids[3]);
        };
        cache.open(new CacheSettings(root, 1 << 20, 3_600_000, freshness, 60_000));
        return cache;
    }

    private void add(String series, int instances) {
        List<String> sops = pacs.computeIfAbsent(series, s -> new ArrayList<>());
        for (int i = 0; i < instances; i++) {
            sops.add(series + "." + (sops.size() + 1));
        }
    }

    private final WadoService source = new WadoService() {
        @Override
        public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
            retrievals.incrementAndGet();
            List<String[]> selected = new ArrayList<>();
            pacs.forEach((series, sops) -> sops.stream()
                    .filter(sop -> request.seriesUid() == null || request.seriesUid().equals(series))
                    .filter(sop -> request.instanceUid() == null || request.instanceUid().equals(sop))
                    .forEach(sop -> selected.add(new String[] {series, sop})));
            List<String[]> sent = selected.subList(0, selected.size() - Math.min(leftOut, selected.size()));
            return CompletableFuture.completedFuture(new RetrievedInstances() {
                @Override
                public void writeTo(InstanceSink sink) throws IOException {
                    for (String[] instance : sent) {
                        sink.nextPart("application/dicom; transfer-syntax=" + syntax).write(
                                (STUDY + " " + instance[0] + " " + instance[1] + " " + syntax)
                                        .getBytes(StandardCharsets.US_ASCII));
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
            return List.of(EXPLICIT, JPEG);
        }
    };

    private boolean pacsDown;

    private final QidoService qido = (aet, request) -> {
        searches.incrementAndGet();
        if (pacsDown) {
            return CompletableFuture.failedFuture(new PeerFailureException("PACS: connection refused", null));
        }
        String onlySeries = request.seriesUid() != null ? request.seriesUid()
                : request.parameters().getOrDefault("0020000E", List.of()).stream().findFirst().orElse(null);
        JsonArrayBuilder matches = Json.createArrayBuilder();
        pacs.forEach((series, sops) -> {
            if (onlySeries != null && !onlySeries.equals(series)) {
                return;
            }
            if (request.resource() == QidoResource.STUDY_SERIES) {
                JsonObjectBuilder match = Json.createObjectBuilder().add("0020000E", value("UI", series));
                if (seriesCounts) {
                    match.add("00201209", Json.createObjectBuilder().add("vr", "IS")
                            .add("Value", Json.createArrayBuilder().add(sops.size())));
                }
                matches.add(match);
            } else {
                sops.forEach(sop -> matches.add(Json.createObjectBuilder().add("0020000E", value("UI", series))
                        .add("00080018", value("UI", sop))));
            }
        });
        return CompletableFuture.completedFuture(new JsonMatches(matches.build().toString()));
    };

    private static JsonObjectBuilder value(String vr, String value) {
        return Json.createObjectBuilder().add("vr", vr).add("Value", Json.createArrayBuilder().add(value));
    }

    /** The parts a retrieval writes: content type and body, and whether each came as a file. */
    private record Written(List<String> contentTypes, List<String> bodies, int fileParts) {
    }

    private static Written write(RetrievedInstances retrieved) throws IOException {
        List<String> types = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        int[] fileParts = {0};
        List<ByteArrayOutputStream> current = new ArrayList<>();
        retrieved.writeTo(new InstanceSink() {
            @Override
            public OutputStream nextPart(String contentType) {
                types.add(contentType);
                ByteArrayOutputStream part = new ByteArrayOutputStream();
                current.add(part);
                return part;
            }

            @Override
            public void filePart(String contentType, FileChannel file, long length) throws IOException {
                fileParts[0]++;
                InstanceSink.super.filePart(contentType, file, length);
            }

            @Override
            public void finish(String epilogue) {
                assertEquals(null, epilogue);
            }
        });
        current.forEach(part -> bodies.add(part.toString(StandardCharsets.US_ASCII)));
        return new Written(types, bodies, fileParts[0]);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static WadoRequest study(String syntax) {
        return new WadoRequest(STUDY, null, null, syntax);
    }

    /** Fills the cache as a metadata request does; returns the services over it. */
    private CachedWadoService filled(StudyCache cache) throws Exception {
        get(new StudyLeases(cache, source, qido, EXECUTOR).study("PACS", study(null))).close();
        return new CachedWadoService(cache, source, qido, EXECUTOR);
    }

    @Test
    void aCachedStudyMatchingThePacsCountsIsServedFromItsFilesAsTheyAreListed() throws Exception {
        add("1.2.1", 2);
        add("1.2.2", 1);
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        RetrievedInstances served = get(wado.retrieve("PACS", study("*")));
        List<RetrievedInstances.StoredPart> parts = served.storedParts().orElseThrow();
        Written written = write(served);
        assertEquals(1, retrievals.get(), "only the fill asked the PACS for instances");
        assertEquals(3, written.fileParts(), "every part handed over as a file");
        assertEquals(parts.stream().map(RetrievedInstances.StoredPart::contentType).toList(), written.contentTypes());
        assertEquals(List.of("application/dicom; transfer-syntax=" + EXPLICIT), written.contentTypes().stream()
                .distinct().toList());
        assertEquals(parts.stream().map(RetrievedInstances.StoredPart::length).toList(),
                written.bodies().stream().map(b -> (long) b.length()).toList());
        assertEquals(List.of("1.2 1.2.1 1.2.1.1 " + EXPLICIT, "1.2 1.2.1 1.2.1.2 " + EXPLICIT,
                "1.2 1.2.2 1.2.2.1 " + EXPLICIT), written.bodies());
        assertEquals(1, cache.counts().hits());
    }

    @Test
    void aStudyThatGainedAnInstanceGoesToThePacsAndMetadataRetrievesItAgain() throws Exception {
        add("1.2.1", 2);
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        add("1.2.1", 1);
        RetrievedInstances fromPacs = get(wado.retrieve("PACS", study("*")));
        assertTrue(fromPacs.storedParts().isEmpty(), "streamed from the PACS");
        assertEquals(3, write(fromPacs).bodies().size());
        add("1.2.2", 1); // a new series too
        assertTrue(get(wado.retrieve("PACS", study("*"))).storedParts().isEmpty(), "a series more at the PACS");
        try (CachedStudy again = get(new StudyLeases(cache, source, qido, EXECUTOR).study("PACS", study(null)))) {
            assertEquals(4, again.instances().size(), "metadata found the copy stale and retrieved the study");
        }
        assertEquals(4, write(get(wado.retrieve("PACS", study("*")))).fileParts(), "the new copy served");
        assertEquals(3, cache.counts().stale(), "two WADO-RS retrievals and one metadata lease found it stale");
    }

    @Test
    void aSeriesIsCheckedAloneAndOneInstanceNotAtAll() throws Exception {
        add("1.2.1", 2);
        add("1.2.2", 1);
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        add("1.2.2", 1); // the other series grew
        int before = searches.get();
        assertEquals(2, write(get(wado.retrieve("PACS", new WadoRequest(STUDY, "1.2.1", null, "*")))).fileParts());
        assertEquals(before + 1, searches.get());
        assertEquals(1, write(get(wado.retrieve("PACS", new WadoRequest(STUDY, "1.2.1", "1.2.1.2", "*"))))
                .fileParts());
        assertEquals(before + 1, searches.get(), "no search for one instance");
        assertTrue(get(wado.retrieve("PACS", new WadoRequest(STUDY, "1.2.2", null, "*"))).storedParts().isEmpty());
        assertEquals(2, retrievals.get(), "the fill, then only the series that grew went to the PACS");
    }

    @Test
    void filesAreServedOnlyInTheSyntaxAsked() throws Exception {
        add("1.2.1", 1);
        StudyCache cache = cache(Freshness.TRUST);
        CachedWadoService wado = filled(cache);
        assertEquals(1, write(get(wado.retrieve("PACS", study(EXPLICIT)))).fileParts());
        assertTrue(get(wado.retrieve("PACS", study(JPEG))).storedParts().isEmpty(), "another syntax: the PACS");
        assertEquals(0, searches.get(), "trust: no census");
    }

    @Test
    void alwaysSendsEveryRetrievalToThePacs() throws Exception {
        add("1.2.1", 1);
        StudyCache cache = cache(Freshness.ALWAYS);
        CachedWadoService wado = filled(cache);
        assertTrue(get(wado.retrieve("PACS", study("*"))).storedParts().isEmpty());
        assertEquals(2, retrievals.get());
    }

    @Test
    void aPacsWithoutSeriesCountsHasItsInstancesCounted() throws Exception {
        seriesCounts = false;
        add("1.2.1", 2);
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        assertEquals(2, write(get(wado.retrieve("PACS", study("*")))).fileParts());
        assertEquals(2, searches.get(), "a series-level search, then an instance-level one");
        add("1.2.1", 1);
        assertTrue(get(wado.retrieve("PACS", study("*"))).storedParts().isEmpty());
    }

    @Test
    void aCopyShortOfWhatThePacsCountsIsNotRetrievedAgainAndAgainForMetadataButNeverServedByWado() throws Exception {
        add("1.2.1", 3);
        leftOut = 1; // as a de-identifying AE's fill without a refused instance
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        StudyLeases leases = new StudyLeases(cache, source, qido, EXECUTOR);
        get(leases.study("PACS", study(null))).close(); // stale: retrieved again, the census acknowledged
        assertEquals(2, retrievals.get());
        try (CachedStudy copy = get(leases.study("PACS", study(null)))) {
            assertEquals(2, copy.instances().size());
        }
        assertEquals(2, retrievals.get(), "the acknowledged copy answers metadata");
        assertTrue(get(wado.retrieve("PACS", study("*"))).storedParts().isEmpty(),
                "WADO-RS compares with the files: the source names what it leaves out");
        add("1.2.1", 1);
        get(leases.study("PACS", study(null))).close();
        assertEquals(4, retrievals.get(), "a gained instance is seen past the acknowledged count");
    }

    @Test
    void anAbandonedRetrievalFromTheCacheReleasesItsLease() throws Exception {
        add("1.2.1", 1);
        StudyCache cache = cache(Freshness.TRUST);
        CachedWadoService wado = filled(cache);
        RetrievedInstances served = get(wado.retrieve("PACS", study("*")));
        Path file;
        try (CachedStudy copy = cache.cached("PACS", STUDY).orElseThrow()) {
            file = copy.instances().get(0).file();
            get(cache.refresh(copy, arriving -> source.retrieve("PACS", study("*")), EXECUTOR)).close();
        }
        assertTrue(Files.exists(file), "the stale copy is still being served");
        served.abandon();
        assertFalse(Files.exists(file), "deleted once the retrieval was abandoned");
    }

    @Test
    void aPacsThatCannotBeAskedLeavesMetadataToTheCopyAndWadoToThePacs() throws Exception {
        add("1.2.1", 2);
        StudyCache cache = cache(Freshness.VALIDATE);
        CachedWadoService wado = filled(cache);
        pacsDown = true;
        try (CachedStudy copy = get(new StudyLeases(cache, source, qido, EXECUTOR).study("PACS", study(null)))) {
            assertEquals(2, copy.instances().size());
        }
        assertEquals(1, retrievals.get(), "the copy answered metadata unchecked");
        assertTrue(get(wado.retrieve("PACS", study("*"))).storedParts().isEmpty(),
                "WADO-RS goes to the PACS, which reports its own failure");
    }
}
