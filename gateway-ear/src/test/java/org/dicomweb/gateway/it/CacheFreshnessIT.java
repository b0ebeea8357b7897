package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.OrthancRest;

/**
 * WADO-RS retrieval from the study cache under gateway.cache.freshness=validate (the default), against Orthanc: a
 * study read twice is served from the cache the second time (the cache's hit meter counts it, the PACS is not asked
 * for instances), and a study that gained an instance at the PACS behind the gateway's back (Orthanc's REST API) is
 * read whole again, never short, by WADO-RS and by metadata alike. A study read first by one series is filled series by
 * series, that one first, and the rest of it comes in the same fill. A frame of a study neither cached nor arriving
 * comes from its instance retrieved alone, which caches nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CacheFreshnessIT extends DeployedGateway {

    private static final String ORTHANC = "http://127.0.0.1:18042";
    private static final String STUDIES = Http.GATEWAY + "/aets/ORTHANC/studies/";
    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    private final String study = TestInstance.newUid();
    private final String seriesA = TestInstance.newUid();
    private final String seriesB = TestInstance.newUid();

    @AfterEach
    void removeTheStudy() throws IOException, InterruptedException {
        HttpResponse<String> found = orthanc(HttpRequest.newBuilder(URI.create(ORTHANC + "/tools/lookup"))
                .POST(HttpRequest.BodyPublishers.ofString(study)));
        for (JsonValue match : Json.createReader(new StringReader(found.body())).readArray()) {
            if (match.asJsonObject().getString("Type").equals("Study")) {
                orthanc(HttpRequest.newBuilder(URI.create(ORTHANC + "/studies/" + match.asJsonObject().getString("ID")))
                        .DELETE());
            }
        }
    }

    /** A request to Orthanc's REST API, sent again if Orthanc had just closed the kept-alive connection. */
    private static HttpResponse<String> orthanc(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = OrthancRest.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    @Test
    void aStudyThatGainedAnInstanceIsNeverServedShortAndARepeatReadComesFromTheCache() throws Exception {
        Set<String> sops = new TreeSet<>(List.of(storeInOrthanc(seriesA), storeInOrthanc(seriesA),
                storeInOrthanc(seriesB)));
        assertEquals(sops, metadataSops(""), "the first metadata read fills the cache");

        Counts before = Counts.now();
        Retrieved first = retrieve("");
        assertEquals(sops, first.sops());
        Counts served = Counts.now();
        assertEquals(1, served.hits - before.hits, "the study just cached is served from it\n" + served.lines);
        assertEquals(0, served.stale - before.stale, served.lines);

        sops.add(storeInOrthanc(seriesA)); // behind the gateway's back
        Retrieved grown = retrieve("");
        assertEquals(sops, grown.sops(), "n+1 instances, from the PACS: the cached copy is short of one");
        Counts afterGrowth = Counts.now();
        assertEquals(1, afterGrowth.stale - served.stale, afterGrowth.lines);
        assertEquals(0, afterGrowth.hits - served.hits, afterGrowth.lines);
        assertEquals(first.contentTypes().iterator().next(), grown.contentTypes().iterator().next(),
                "parts named alike from the cache and from the PACS");

        assertEquals(sops, metadataSops(""), "metadata finds the copy stale too and retrieves the study again");
        Counts refilled = Counts.now();
        assertEquals(1, refilled.misses - afterGrowth.misses, refilled.lines);

        assertEquals(sops, retrieve("").sops(), "the new copy is whole and served from the cache");
        Set<String> ofSeriesA = retrieve("/series/" + seriesA).sops();
        assertEquals(3, ofSeriesA.size());
        assertTrue(sops.containsAll(ofSeriesA));
        Counts repeat = Counts.now();
        assertEquals(2, repeat.hits - refilled.hits, "study and series both from the cache\n" + repeat.lines);
        assertEquals(0, repeat.stale - refilled.stale, repeat.lines);

        String instance = ofSeriesA.iterator().next();
        assertEquals(Set.of(instance), retrieve("/series/" + seriesA + "/instances/" + instance).sops());
        assertEquals(1, Counts.now().hits - repeat.hits, "one instance needs no check and comes from the cache");
    }

    @Test
    void aColdSeriesReadIsAnsweredWithItsSeriesAndTheRestOfTheStudyFollowsInTheSameFill() throws Exception {
        Set<String> ofA = new TreeSet<>(List.of(storeInOrthanc(seriesA), storeInOrthanc(seriesA)));
        Set<String> ofB = new TreeSet<>(List.of(storeInOrthanc(seriesB), storeInOrthanc(seriesB),
                storeInOrthanc(seriesB)));
        Counts before = Counts.now();
        assertEquals(ofB, metadataSops("/series/" + seriesB), "the series asked, and only it");

        Set<String> whole = new TreeSet<>(ofA);
        whole.addAll(ofB);
        assertEquals(whole, metadataSops(""), "the study whole: series A came after B, in the same fill");
        String instanceOfA = ofA.iterator().next();
        assertEquals(Set.of(instanceOfA), retrieve("/series/" + seriesA + "/instances/" + instanceOfA).sops());
        Counts after = Counts.now();
        assertEquals(1, after.misses - before.misses, "one fill for the study\n" + after.lines);
        assertEquals(0, after.stale - before.stale, "series by series, the copy is whole\n" + after.lines);
    }

    @Test
    void aFrameOfAStudyNeitherCachedNorArrivingIsFetchedAloneAndLeavesTheStudyUncached() throws Exception {
        String sop = storeInOrthanc(seriesA);
        storeInOrthanc(seriesA);
        Counts before = Counts.now();
        HttpResponse<byte[]> frame = Http.getBytes(STUDIES + study + "/series/" + seriesA + "/instances/" + sop
                + "/frames/1", "Accept", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        assertEquals(200, frame.statusCode(), new String(frame.body(), StandardCharsets.UTF_8));
        Counts fetched = Counts.now();
        assertEquals(1, fetched.alone - before.alone, "the instance retrieved alone\n" + fetched.lines);
        assertEquals(0, fetched.misses - before.misses, "no fill for one frame\n" + fetched.lines);
        assertEquals(2, metadataSops("").size());
        Counts after = Counts.now();
        assertEquals(1, after.misses - fetched.misses, "the study was not cached by the frame\n" + after.lines);
    }

    /**
     * dcmqrscp, a PACS of another make (and a C-MOVE AE): a study cached whole passes its census, whether the PACS gives
     * NumberOfSeriesRelatedInstances or the census counts an instance-level search's matches, and is served from the
     * cache, not taken for stale.
     */
    @Test
    void aPacsWithoutSeriesCountsIsCheckedByCountingInstances() {
        String sample = SampleStudies.studies().get(0);
        Http.Reply metadata = Http.get(Http.GATEWAY + "/aets/DCMQRSCP/studies/" + sample + "/metadata");
        assertEquals(200, metadata.status(), metadata.body());
        Counts before = Counts.now();
        HttpResponse<byte[]> response = Http.getBytes(Http.GATEWAY + "/aets/DCMQRSCP/studies/" + sample, "Accept", ANY);
        assertEquals(200, response.statusCode());
        assertEquals(SampleStudies.instances(sample).size(), Multipart.parts(response.body(),
                Multipart.boundary(response.headers().firstValue("Content-Type").orElseThrow())).size());
        Counts after = Counts.now();
        assertEquals(1, after.hits - before.hits, after.lines);
        assertEquals(0, after.stale - before.stale, after.lines);
    }

    /** A new instance of the test study in {@code series}, POSTed to Orthanc's REST API; its SOP Instance UID. */
    private String storeInOrthanc(String series) throws IOException, InterruptedException {
        String sop = TestInstance.newUid();
        byte[] file = TestInstance.secondaryCapture(study, series, sop, "Cache^Freshness", "CACHE-IT");
        orthanc(HttpRequest.newBuilder(URI.create(ORTHANC + "/instances")).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(file)));
        return sop;
    }

    private Set<String> metadataSops(String path) {
        Http.Reply reply = Http.get(STUDIES + study + path + "/metadata");
        assertEquals(200, reply.status(), reply.body());
        Set<String> sops = new TreeSet<>();
        for (JsonValue instance : reply.json().asJsonArray()) {
            sops.add(instance.asJsonObject().getJsonObject("00080018").getJsonArray("Value").getString(0));
        }
        return sops;
    }

    private record Retrieved(Set<String> sops, Set<String> contentTypes) {
    }

    private Retrieved retrieve(String path) {
        HttpResponse<byte[]> response = Http.getBytes(STUDIES + study + path, "Accept", ANY);
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        Set<String> sops = new TreeSet<>();
        Set<String> contentTypes = new TreeSet<>();
        for (Multipart.Part part : Multipart.parts(response.body(), Multipart.boundary(type))) {
            contentTypes.add(part.contentType());
            String meta = new String(part.body(), 132, 200, StandardCharsets.US_ASCII);
            // The File Meta Information's Media Storage SOP Instance UID (0002,0003): value after its 8-byte header.
            int at = meta.indexOf("2.25.");
            assertTrue(at > 0, "a Part 10 part");
            sops.add(meta.substring(at).split("[\\x00 \\x02]")[0]);
        }
        assertEquals(Set.of("application/dicom; transfer-syntax=" + TestInstance.EXPLICIT_LE), contentTypes);
        return new Retrieved(sops, contentTypes);
    }

    /** The study cache's meters (docs/metrics.md), from one scrape. */
    private record Counts(double hits, double misses, double alone, double stale, String lines) {

        static Counts now() {
            Prometheus scrape = Prometheus.scrape();
            return new Counts(scrape.sum("dicomweb_gateway_cache_requests_total", "result", "hit"),
                    scrape.sum("dicomweb_gateway_cache_requests_total", "result", "miss"),
                    scrape.sum("dicomweb_gateway_cache_requests_total", "result", "instance"),
                    scrape.sum("dicomweb_gateway_cache_stale_total"), scrape.gatewayLines());
        }
    }
}
