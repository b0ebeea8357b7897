package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.it.probe.ChangeFeedProbe;
import org.dicomweb.gateway.it.probe.ReceivedServlet;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The change feed (docs/jobs.md, "Change feed"): what STOW-RS stores into S3 and into Orthanc, and what a C-STORE
 * outside any C-MOVE brings in (wildfly-config/test-changefeed.cli: gateway.scp.ingest-aet=S3), is read back from
 * {@code GET /changefeed} in order and was published on the ChangeFeed topic (to a subscriber deployed before);
 * concurrent writers never let a follower skip an entry.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChangeFeedIT {

    private static final String FEED = Http.GATEWAY + "/changefeed";
    private static final String PROBE = "http://127.0.0.1:8080/changefeed-probe/received";
    private static final String SECONDARY_CAPTURE = TestInstance.SECONDARY_CAPTURE;

    @TempDir
    static Path work;

    @Deployment(name = "gateway", order = 1, testable = false)
    static EnterpriseArchive ear() {
        return DeployedGateway.archive();
    }

    /** The topic's subscriber, deployed after the gateway (whose CLI made the topic) and before any test runs. */
    @Deployment(name = "probe", order = 2, testable = false)
    static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, "changefeed-probe.war")
                .addClasses(ChangeFeedProbe.class, ReceivedServlet.class);
    }

    @BeforeAll
    static void peers() {
        TestPeers.start("all");
    }

    /** A new Secondary Capture instance (2x2 pixels) of a new study and series. */
    private record Instance(String study, String series, String sop) {
        static Instance fresh() {
            return new Instance(TestInstance.newUid(), TestInstance.newUid(), TestInstance.newUid());
        }

        Instance inSameSeries() {
            return new Instance(study, series, TestInstance.newUid());
        }

        byte[] part10() {
            return TestInstance.secondaryCapture(study, series, sop, "CHANGE^FEED", "CHANGEFEED");
        }
    }

    private static List<Instance> series(int count) {
        Instance first = Instance.fresh();
        List<Instance> instances = new ArrayList<>(List.of(first));
        while (instances.size() < count) {
            instances.add(first.inSameSeries());
        }
        return instances;
    }

    private static void stow(String aet, List<Instance> instances) {
        Stow.Answer answer = Stow.post(aet, instances.stream().map(i -> Stow.Part.dicom(i.part10()))
                .toArray(Stow.Part[]::new));
        assertEquals(200, answer.status(), aet + ": " + answer.body());
    }

    private static long latestSequence() {
        Http.Reply latest = Http.get(FEED + "/latest");
        if (latest.status() == 204) {
            return 0;
        }
        assertEquals(200, latest.status(), latest.body());
        return latest.json().asJsonObject().getJsonNumber("sequence").longValue();
    }

    private static List<JsonObject> read(String query) {
        Http.Reply reply = Http.get(FEED + query);
        assertEquals(200, reply.status(), query + ": " + reply.body());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        return reply.json().asJsonArray().getValuesAs(JsonObject.class);
    }

    /** Each entry is of one of {@code instances}, in their order, stored into {@code aet} by {@code origin}. */
    private static void assertEntries(List<JsonObject> entries, String aet, String origin, List<Instance> instances) {
        assertEquals(instances.size(), entries.size(), entries.toString());
        for (int i = 0; i < instances.size(); i++) {
            JsonObject entry = entries.get(i);
            Instance instance = instances.get(i);
            assertEquals(aet, entry.getString("aet"), entry.toString());
            assertEquals(origin, entry.getString("origin"), entry.toString());
            assertEquals(instance.study(), entry.getString("studyInstanceUid"));
            assertEquals(instance.series(), entry.getString("seriesInstanceUid"));
            assertEquals(instance.sop(), entry.getString("sopInstanceUid"));
            assertEquals(SECONDARY_CAPTURE, entry.getString("sopClassUid"));
            assertFalse(entry.containsKey("taskId"), "no task brought it: " + entry);
            assertTrue(entry.getString("timestamp").endsWith("Z"), entry.toString());
        }
    }

    private static List<Long> sequences(List<JsonObject> entries) {
        return entries.stream().map(e -> e.getJsonNumber("sequence").longValue()).toList();
    }

    /** Waits (10 s at most) until the probe has a message for each entry; each must carry the entry as REST has it. */
    private static void assertPublished(List<JsonObject> entries) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonObject> messages;
        do {
            JsonArray received = Http.get(PROBE).json().asJsonArray();
            messages = entries.stream().map(entry -> received.getValuesAs(JsonObject.class).stream()
                    .filter(m -> m.containsKey("sequence") && m.getJsonNumber("sequence").longValue()
                            == entry.getJsonNumber("sequence").longValue()).findFirst().orElse(null)).toList();
            if (!messages.contains(null)) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        for (int i = 0; i < entries.size(); i++) {
            JsonObject entry = entries.get(i);
            JsonObject message = messages.get(i);
            assertTrue(message != null, "no message on the ChangeFeed topic for " + entry);
            assertEquals(entry, new Http.Reply(200, "", message.getString("body"), List.of()).json());
            assertEquals(entry.getString("aet"), message.getString("aet"));
            assertEquals(entry.getString("origin"), message.getString("origin"));
        }
    }

    @Test
    void stowRsIntoS3AndOrthancIsInTheFeedInOrderAndOnTheTopic() throws InterruptedException {
        long before = latestSequence();
        List<Instance> intoS3 = series(3);
        List<Instance> intoOrthanc = series(2);
        stow("S3", intoS3);
        stow("ORTHANC", intoOrthanc);

        List<JsonObject> entries = read("?after=" + before);
        assertEquals(5, entries.size(), entries.toString());
        assertEntries(entries.subList(0, 3), "S3", "STOW-RS", intoS3);
        assertEntries(entries.subList(3, 5), "ORTHANC", "STOW-RS", intoOrthanc);
        List<Long> sequences = sequences(entries);
        for (int i = 1; i < sequences.size(); i++) {
            assertTrue(sequences.get(i) > sequences.get(i - 1), "in sequence order: " + sequences);
        }
        assertEquals(entries.get(4), Http.get(FEED + "/latest").json(), "latest is the last entry");
        assertPublished(entries);
    }

    @Test
    void afterAndLimitPageThroughTheFeed() {
        long before = latestSequence();
        List<Instance> instances = series(5);
        stow("S3", instances);

        List<JsonObject> all = read("?after=" + before + "&limit=1000");
        assertEntries(all, "S3", "STOW-RS", instances);
        List<JsonObject> paged = new ArrayList<>();
        long after = before;
        List<Integer> pageSizes = new ArrayList<>();
        for (List<JsonObject> page = read("?after=" + after + "&limit=2"); !page.isEmpty();
                page = read("?after=" + after + "&limit=2")) {
            pageSizes.add(page.size());
            paged.addAll(page);
            after = page.get(page.size() - 1).getJsonNumber("sequence").longValue();
        }
        assertEquals(List.of(2, 2, 1), pageSizes);
        assertEquals(all, paged);
        assertEquals(all.subList(2, 5), read("?after=" + sequences(all).get(1)));
        assertEquals(List.of(), read("?after=" + sequences(all).get(4)), "nothing after the latest");
        assertEquals(1, read("?limit=1").size(), "after defaults to 0: from the start");
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        for (String query : List.of("after=abc", "after=-1", "after=1.5", "limit=0", "limit=1001", "limit=ten",
                "limit=-3")) {
            Http.Reply reply = Http.get(FEED + "?" + query);
            assertEquals(400, reply.status(), query + ": " + reply.body());
            String parameter = query.substring(0, query.indexOf('='));
            assertTrue(reply.json().asJsonObject().getString("reason").startsWith(parameter + " must be"),
                    query + ": " + reply.body());
        }
    }

    /** dcmtk's storescu sends to the gateway's SCP outside any C-MOVE: stored into S3, acknowledged, in the feed. */
    @Test
    void anUnsolicitedCStoreIsStoredIntoTheIngestAeAndInTheFeed() throws Exception {
        long before = latestSequence();
        Instance instance = Instance.fresh();
        Path file = work.resolve("unsolicited.dcm");
        Files.write(file, instance.part10());
        // storescu exits non-zero unless the C-STORE is answered with success (TestPeers.run fails the test then).
        String output = TestPeers.run("storescu", "-v", "-aet", "STORESCU", "-aec", "DICOMWEB", TestPeers.HOST,
                String.valueOf(TestPeers.GATEWAY_SCP_PORT), file.toString());
        assertTrue(output.contains("Received Store Response (Success)"), output);

        JsonArray found = Http.get(Http.GATEWAY + "/aets/S3/studies/" + instance.study() + "/instances").json()
                .asJsonArray();
        assertEquals(1, found.size(), found.toString());
        assertEquals(instance.sop(), found.getJsonObject(0).getJsonObject("00080018").getJsonArray("Value")
                .getString(0));
        List<JsonObject> entries = read("?after=" + before);
        assertEntries(entries, "S3", "STORE-SCP", List.of(instance));
        assertPublished(entries);
    }

    /**
     * With the database down a STOW-RS into Orthanc (which needs no database) still succeeds: the instances are stored,
     * only missing from the feed; reading the feed is a 503 naming the database, and works again once it is back.
     */
    @Test
    void aStoreTheFeedCannotRecordStillSucceedsAndIsMissingFromTheFeed() {
        long before = latestSequence();
        List<Instance> instances = series(2);
        TestPeers.stop("postgres");
        try {
            stow("ORTHANC", instances);
            Http.Reply down = Http.get(FEED + "?after=" + before);
            assertEquals(503, down.status(), down.body());
            assertTrue(down.json().asJsonObject().getString("reason").startsWith("the change feed's database"),
                    down.body());
        } finally {
            TestPeers.start("postgres");
        }
        List<String> found = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies/" + instances.get(0).study()
                + "/instances").json().asJsonArray().getValuesAs(JsonObject.class).stream()
                .map(i -> i.getJsonObject("00080018").getJsonArray("Value").getString(0)).sorted().toList();
        assertEquals(instances.stream().map(Instance::sop).sorted().toList(), found, "stored all the same");
        assertEquals(List.of(), read("?after=" + before), "not in the feed (the log names them)");
    }

    /**
     * Eight clients store at once while a follower reads on from the last sequence it saw: it must end with exactly the
     * entries a reader from the start sees, in the same order, without gaps in the sequences (no store failed), so
     * no entry committed behind one it had already read.
     */
    @Test
    void concurrentStowsLeaveNoEntryAFollowerCouldSkip() throws Exception {
        long before = latestSequence();
        int clients = 8;
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        AtomicBoolean storing = new AtomicBoolean(true);
        try {
            Future<List<JsonObject>> follower = pool.submit(() -> {
                List<JsonObject> seen = new ArrayList<>();
                long after = before;
                boolean last = false;
                while (!last) {
                    last = !storing.get(); // one more read once every store has been answered
                    List<JsonObject> page = read("?after=" + after + "&limit=1000");
                    seen.addAll(page);
                    if (!page.isEmpty()) {
                        after = page.get(page.size() - 1).getJsonNumber("sequence").longValue();
                    }
                }
                return seen;
            });
            List<Future<?>> stores = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                stores.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        stow("S3", series(3));
                    }
                }));
            }
            for (Future<?> store : stores) {
                store.get(5, TimeUnit.MINUTES);
            }
            storing.set(false);
            List<JsonObject> followed = follower.get(1, TimeUnit.MINUTES);

            List<JsonObject> all = new ArrayList<>();
            for (List<JsonObject> page = read("?after=" + before + "&limit=1000"); !page.isEmpty();
                    page = read("?after=" + sequences(page).get(page.size() - 1) + "&limit=1000")) {
                all.addAll(page);
            }
            assertEquals(clients * rounds * 3, all.size());
            List<Long> sequences = sequences(all);
            for (int i = 0; i < sequences.size(); i++) {
                assertEquals(before + 1 + i, sequences.get(i), "no gap: " + sequences);
            }
            assertEquals(sequences, sequences(followed), "the follower saw every entry, in order");
            assertTrue(all.stream().allMatch(e -> e.getString("origin").equals("STOW-RS")), all.toString());
        } finally {
            storing.set(false);
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES), "the test's clients ended");
        }
    }
}
