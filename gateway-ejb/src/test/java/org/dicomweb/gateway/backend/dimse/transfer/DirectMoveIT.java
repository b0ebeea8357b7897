package org.dicomweb.gateway.backend.dimse.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.PoolStats;
import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.config.DimseSettings;
import org.dicomweb.gateway.backend.dimse.config.DimseSettingsReader;
import org.dicomweb.gateway.backend.dimse.query.FindExchange;
import org.dicomweb.gateway.core.backend.TransferOutcome;
import org.dicomweb.gateway.core.backend.TransferProgress;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.testpeers.OrthancRest;
import org.dicomweb.gateway.testpeers.TestPeers;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * Direct C-MOVEs between the real Orthanc and dcmqrscp of scripts/peers.sh (which know each other as C-MOVE
 * destinations), built as DimseBackend builds them but without WildFly. A study copied in Orthanc under fresh UIDs
 * (its REST API's modify) is moved to dcmqrscp, where a C-FIND must find every instance, and back again after Orthanc
 * deleted it; the 500-instance sample study (scripts/test.sh loads it into Orthanc) is moved and cancelled; a
 * destination the PACS does not know is its refusal.
 */
class DirectMoveIT {

    private static final String ORTHANC_REST = "http://127.0.0.1:18042";

    private final DimseSettings settings = new DimseSettingsReader(new ConfigValues(key -> Optional.ofNullable(
            Map.ofEntries(
                    Map.entry("gateway.aet.ORTHANC.host", TestPeers.HOST),
                    Map.entry("gateway.aet.ORTHANC.port", Integer.toString(TestPeers.ORTHANC_PORT)),
                    Map.entry("gateway.aet.ORTHANC.calling-aet", "GWTEST"),
                    // short: the frozen-PACS test waits this long
                    Map.entry("gateway.aet.ORTHANC.dimse-timeout-ms", "2000"),
                    Map.entry("gateway.aet.ORTHANC.pool-size", "1"),
                    Map.entry("gateway.aet.ORTHANC.move-destinations", "DCMQRSCP,NOWHERE,STRANGER,STORESCP"),
                    Map.entry("gateway.aet.DCMQRSCP.host", TestPeers.HOST),
                    Map.entry("gateway.aet.DCMQRSCP.port", Integer.toString(TestPeers.DCMQRSCP_PORT)),
                    Map.entry("gateway.aet.DCMQRSCP.calling-aet", "GWTEST"),
                    Map.entry("gateway.aet.DCMQRSCP.dimse-timeout-ms", "10000"),
                    Map.entry("gateway.aet.DCMQRSCP.pool-size", "1"),
                    Map.entry("gateway.aet.DCMQRSCP.move-destinations", "ORTHANC,NOWHERE"),
                    // A DIMSE AE of the gateway that neither PACS knows as a C-MOVE destination.
                    Map.entry("gateway.aet.NOWHERE.host", TestPeers.HOST),
                    Map.entry("gateway.aet.NOWHERE.port", "11118"),
                    Map.entry("gateway.aet.NOWHERE.called-aet", "NOSUCHAE"),
                    // One that answers (Orthanc itself, which takes any called AE title) but Orthanc does not know.
                    Map.entry("gateway.aet.STRANGER.host", TestPeers.HOST),
                    Map.entry("gateway.aet.STRANGER.port", Integer.toString(TestPeers.ORTHANC_PORT)),
                    Map.entry("gateway.aet.STRANGER.called-aet", "NOSUCHAE"),
                    // One Orthanc knows (scripts/peers.sh: STORESCP on 11119), with nothing listening there.
                    Map.entry("gateway.aet.STORESCP.host", TestPeers.HOST),
                    Map.entry("gateway.aet.STORESCP.port", "11119"),
                    Map.entry("gateway.aet.STORESCP.connect-timeout-ms", "2000")).get(key))))
            .read(List.of("ORTHANC", "DCMQRSCP", "NOWHERE", "STRANGER", "STORESCP"));
    private final Map<String, AssociationPool> pools = new LinkedHashMap<>();
    private final DirectMove move = new DirectMove(() -> settings,
            aet -> pools.computeIfAbsent(aet, key -> new AssociationPool(settings.remoteAe(key).orElseThrow())));
    private final List<String> copiesInOrthanc = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        TestPeers.thaw("orthanc");
        for (String id : copiesInOrthanc) {
            orthanc("DELETE", "/studies/" + id, null);
        }
        pools.values().forEach(AssociationPool::close);
    }

    /** Counts as the PACS reports them, and a cancel after the first pending response if asked. */
    private static class Recorder implements TransferProgress {
        final List<int[]> reports = new ArrayList<>();
        final List<Integer> remaining = new ArrayList<>();
        private final boolean cancelAfterFirst;

        Recorder(boolean cancelAfterFirst) {
            this.cancelAfterFirst = cancelAfterFirst;
        }

        @Override
        public void progress(Integer left, int completed, int failed, int warning) {
            reports.add(new int[] {completed, failed, warning});
            remaining.add(left);
        }

        @Override
        public boolean cancelled() {
            return cancelAfterFirst && !reports.isEmpty();
        }
    }

    @Test
    void aStudyGoesFromOrthancToDcmqrscpAndBackWithProgress() throws Exception {
        Copy copy = copyInOrthanc(sampleStudy("2x2x5"));
        assertEquals(10, copy.instances().size(), "2 series of 5 instances");

        Recorder progress = new Recorder(false);
        TransferOutcome outcome = move.transfer("ORTHANC", study(copy.studyUid()), "DCMQRSCP", progress);
        assertEquals(new TransferOutcome(10, 0, 0, List.of(), false), outcome);
        assertEquals(copy.instances(), instancesAt("DCMQRSCP", copy.studyUid()), "every instance arrived");
        assertFalse(progress.reports.isEmpty(), "pending responses reported");
        for (int i = 0; i < progress.reports.size(); i++) {
            int[] counts = progress.reports.get(i);
            assertTrue(counts[0] >= (i == 0 ? 0 : progress.reports.get(i - 1)[0]) && counts[0] <= 10,
                    "completed counts grow: " + counts[0]);
            assertEquals(10, counts[0] + progress.remaining.get(i), "Orthanc counts remaining sub-operations");
        }
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pools.get("ORTHANC").stats(), "association kept");

        orthanc("DELETE", "/studies/" + copy.orthancId(), null);
        copiesInOrthanc.remove(copy.orthancId());
        outcome = move.transfer("DCMQRSCP", study(copy.studyUid()), "ORTHANC", new Recorder(false));
        copiesInOrthanc.add(copy.orthancId()); // the same study again: Orthanc's ID is a hash of its UIDs
        assertEquals(new TransferOutcome(10, 0, 0, List.of(), false), outcome);
        assertEquals(copy.instances(), instancesInOrthanc(copy.orthancId()), "back in Orthanc, all of it");
        assertEquals(new PoolStats("DCMQRSCP", 1, 1, 0, 0, 1), pools.get("DCMQRSCP").stats(), "association kept");
    }

    @Test
    void aSeriesOrAnInstanceMovesAlone() throws Exception {
        Copy copy = copyInOrthanc(sampleStudy("2x2x5"));
        JsonObject instance = (JsonObject) orthanc("GET", "/instances/" + copy.instanceIds().get(0), null);
        String seriesUid = ((JsonObject) orthanc("GET", "/series/" + instance.getString("ParentSeries"), null))
                .getJsonObject("MainDicomTags").getString("SeriesInstanceUID");
        String sopUid = instance.getJsonObject("MainDicomTags").getString("SOPInstanceUID");

        assertEquals(new TransferOutcome(1, 0, 0, List.of(), false), move.transfer("ORTHANC",
                new WadoRequest(copy.studyUid(), seriesUid, sopUid, WadoRequest.ANY_TRANSFER_SYNTAX), "DCMQRSCP",
                new Recorder(false)));
        assertEquals(Set.of(sopUid), instancesAt("DCMQRSCP", copy.studyUid()));
        assertEquals(new TransferOutcome(5, 0, 0, List.of(), false), move.transfer("ORTHANC",
                new WadoRequest(copy.studyUid(), seriesUid, null, WadoRequest.ANY_TRANSFER_SYNTAX), "DCMQRSCP",
                new Recorder(false)));
        assertEquals(5, instancesAt("DCMQRSCP", copy.studyUid()).size(), "the series, not the study");
    }

    @Test
    void aCancelledMoveEndsEarlyWithThePacsWord() throws Exception {
        String big = sampleStudy("1x1x500");
        Recorder progress = new Recorder(true);
        TransferOutcome outcome = move.transfer("ORTHANC", study(big), "DCMQRSCP", progress);
        assertFalse(progress.reports.isEmpty());
        // Orthanc checks for C-CANCEL between sub-operations (measured: it ended with 0xFE00 after 3 of 500), so on
        // loopback it cannot have finished first; the counts are its final response's.
        assertTrue(outcome.cancelled(), "ended with Cancel: " + outcome);
        int lastReported = progress.reports.get(progress.reports.size() - 1)[0];
        assertTrue(outcome.completed() >= lastReported && outcome.completed() < 500, "stopped early: " + outcome);
        assertEquals(0, outcome.failed());
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pools.get("ORTHANC").stats(), "association kept");
        // ... and fit for the next operation
        assertEquals(Set.of(), instancesAt("ORTHANC", "1.2.3.4.5.6.7.8.9.0"));
    }

    @Test
    void aCallerThatFailsMidwayHasTheAssociationAborted() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> move.transfer("ORTHANC",
                study(sampleStudy("1x1x500")), "DCMQRSCP", new TransferProgress() {
                    @Override
                    public void progress(Integer remaining, int completed, int failed, int warning) {
                        throw new IllegalStateException("the task's row is gone");
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                }));
        assertEquals("the task's row is gone", e.getMessage());
        assertEquals(new PoolStats("ORTHANC", 0, 0, 0, 0, 1), pools.get("ORTHANC").stats(),
                "a C-MOVE was under way on it: aborted, not given back");
    }

    @Test
    void aPacsThatFallsSilentTimesOutAfterItsDimseTimeout() throws Exception {
        Recorder freezeOnFirst = new Recorder(false) {
            @Override
            public void progress(Integer left, int completed, int failed, int warning) {
                if (reports.isEmpty()) {
                    TestPeers.freeze("orthanc");
                }
                super.progress(left, completed, failed, warning);
            }
        };
        long start = System.nanoTime();
        PeerTimeoutException e = assertThrows(PeerTimeoutException.class, () -> move.transfer("ORTHANC",
                study(sampleStudy("1x1x500")), "DCMQRSCP", freezeOnFirst));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("ORTHANC at 127.0.0.1:14242: no answer to C-MOVE within 2000 ms", e.getMessage());
        assertTrue(waitedMs < 10_000, "bounded by the DIMSE timeout: " + waitedMs + " ms");
        assertEquals(new PoolStats("ORTHANC", 0, 0, 0, 0, 1), pools.get("ORTHANC").stats(), "aborted");
    }

    @Test
    void aDestinationThePacsDoesNotKnowIsItsRefusal() throws Exception {
        String sample = sampleStudy("2x2x5");
        PeerRejectedException orthanc = assertThrows(PeerRejectedException.class,
                () -> move.transfer("ORTHANC", study(sample), "STRANGER", new Recorder(false)));
        // Orthanc answers Unable to Process (0xC000), not Move Destination Unknown (0xA801); STRANGER answers a C-ECHO
        assertEquals("ORTHANC: C-MOVE of study " + sample + " to STRANGER (AE title NOSUCHAE) refused: status 0xc000,"
                + " 0 sub-operations completed, 0 failed, 0 with warnings", orthanc.getMessage());
        PeerRejectedException dcmqrscp = assertThrows(PeerRejectedException.class,
                () -> move.transfer("DCMQRSCP", study(sample), "NOWHERE", new Recorder(false)));
        assertEquals("DCMQRSCP does not know the move destination NOWHERE (AE title NOSUCHAE): status 0xa801,"
                + " 0 sub-operations completed, 0 failed, 0 with warnings", dcmqrscp.getMessage());
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pools.get("ORTHANC").stats(), "a refusal keeps it");
    }

    /**
     * Orthanc answers 0xC000 for a destination it cannot reach too: with the destination silent to a C-ECHO as well,
     * that is a transient failure (the task is retried), where a destination that answers is a refusal (above).
     */
    @Test
    void aDestinationThatIsDownIsATransientFailure() throws Exception {
        String sample = sampleStudy("2x2x5");
        for (String destination : List.of("STORESCP", "NOWHERE")) {
            PeerFailureException down = assertThrows(PeerFailureException.class,
                    () -> move.transfer("ORTHANC", study(sample), destination, new Recorder(false)));
            assertTrue(down.getMessage().startsWith("ORTHANC: C-MOVE of study " + sample + " to " + destination
                    + " failed (status 0xc000"), down.getMessage());
            assertTrue(down.getMessage().endsWith(destination + " does not answer a C-ECHO: taken as the destination"
                    + " being down"), down.getMessage());
        }
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pools.get("ORTHANC").stats(), "a failure keeps it");
    }

    @Test
    void nothingToMoveIsNotFound() {
        for (String source : List.of("ORTHANC", "DCMQRSCP")) {
            NotFoundInPacsException e = assertThrows(NotFoundInPacsException.class, () -> move.transfer(source,
                    study("1.2.826.0.1.3680043.2.1143.999"), source.equals("ORTHANC") ? "DCMQRSCP" : "ORTHANC",
                    new Recorder(false)));
            assertEquals(source + " has no study 1.2.826.0.1.3680043.2.1143.999", e.getMessage());
        }
    }

    private static WadoRequest study(String uid) {
        return new WadoRequest(uid, null, null, WadoRequest.ANY_TRANSFER_SYNTAX);
    }

    /** The first study of a sample set of work/samples (scripts/test.sh loads them into the PACS). */
    private static String sampleStudy(String set) throws IOException {
        try (Stream<Path> studies = Files.list(TestPeers.projectRoot().resolve("work/samples/" + set))) {
            return studies.map(study -> study.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
    }

    private record Copy(String orthancId, String studyUid, Set<String> instances, List<String> instanceIds) {
    }

    /** A copy of a study in Orthanc under new study, series and instance UIDs (deleted after the test). */
    private Copy copyInOrthanc(String studyUid) throws Exception {
        JsonArray found = (JsonArray) orthanc("POST", "/tools/lookup", studyUid);
        String source = found.getJsonObject(0).getString("ID");
        JsonObject modified = (JsonObject) orthanc("POST", "/studies/" + source + "/modify",
                "{\"Replace\":{\"StudyDescription\":\"DirectMoveIT copy\"}}");
        String id = modified.getString("ID");
        copiesInOrthanc.add(id);
        String uid = ((JsonObject) orthanc("GET", "/studies/" + id, null)).getJsonObject("MainDicomTags")
                .getString("StudyInstanceUID");
        List<String> instanceIds = ((JsonArray) orthanc("GET", "/studies/" + id + "/instances", null))
                .getValuesAs(JsonObject.class).stream().map(i -> i.getString("ID")).toList();
        return new Copy(id, uid, instancesInOrthanc(id), instanceIds);
    }

    private static Set<String> instancesInOrthanc(String orthancStudyId) throws Exception {
        Set<String> uids = new TreeSet<>();
        for (JsonObject instance : ((JsonArray) orthanc("GET", "/studies/" + orthancStudyId + "/instances", null))
                .getValuesAs(JsonObject.class)) {
            uids.add(instance.getJsonObject("MainDicomTags").getString("SOPInstanceUID"));
        }
        return uids;
    }

    private static JsonStructure orthanc(String method, String path, String body) throws Exception {
        HttpResponse<String> response = OrthancRest.send(HttpRequest.newBuilder(URI.create(ORTHANC_REST + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), method + " " + path + ": " + response.body());
        return response.body().isBlank() ? null : Json.createReader(new StringReader(response.body())).read();
    }

    /**
     * The SOP Instance UIDs of a study at a PACS, by hierarchical C-FINDs (dcmqrscp answers no other): its series,
     * then the instances of each, on the AE's pooled association.
     */
    private Set<String> instancesAt(String aet, String studyUid) {
        AssociationPool pool = pools.computeIfAbsent(aet, key -> new AssociationPool(settings.remoteAe(key).orElseThrow()));
        return pool.execute(association -> {
            Set<String> uids = new TreeSet<>();
            for (AttributeList series : find(association, identifier("SERIES", studyUid, "", null))) {
                String seriesUid = Attribute.getSingleStringValueOrEmptyString(series, TagFromName.SeriesInstanceUID);
                for (AttributeList instance : find(association, identifier("IMAGE", studyUid, seriesUid, ""))) {
                    uids.add(Attribute.getSingleStringValueOrEmptyString(instance, TagFromName.SOPInstanceUID));
                }
            }
            return uids;
        });
    }

    private static List<AttributeList> find(org.dicomweb.gateway.backend.dimse.association.DimseAssociation association,
            AttributeList identifier) {
        FindExchange find = FindExchange.start(association, identifier);
        List<AttributeList> matches = new ArrayList<>();
        for (AttributeList match = find.next(); match != null; match = find.next()) {
            matches.add(match);
        }
        return matches;
    }

    private static AttributeList identifier(String level, String studyUid, String seriesUid, String sopUid) {
        AttributeList identifier = new AttributeList();
        put(identifier, TagFromName.QueryRetrieveLevel, level);
        put(identifier, TagFromName.StudyInstanceUID, studyUid);
        put(identifier, TagFromName.SeriesInstanceUID, seriesUid);
        if (sopUid != null) {
            put(identifier, TagFromName.SOPInstanceUID, sopUid);
        }
        return identifier;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) {
        try {
            Attribute attribute = AttributeFactory.newAttribute(tag);
            if (!value.isEmpty()) {
                attribute.addValue(value);
            }
            list.put(attribute);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }
}
