package org.dicomweb.gateway.backend.dimse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.DimseQidoService;
import org.dicomweb.gateway.backend.dimse.PoolStats;
import org.dicomweb.gateway.backend.dimse.association.AssociationNegotiationIT;
import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * A search's end against the real Orthanc: a client that goes away mid-stream and a limit reached before the PACS's
 * last response both end the C-FIND with C-CANCEL, leaving the association fit for the next search; a search gives
 * its association back as soon as the PACS's last response is read; a client that stops reading has it aborted.
 */
class QidoSearchIT {

    private final ExecutorService dimseThread = Executors.newSingleThreadExecutor();
    private final AssociationPool pool = new AssociationPool(new RemoteAe("ORTHANC", TestPeers.HOST,
            TestPeers.ORTHANC_PORT, "GWTEST", 1, 5_000, 2_000, 5_000, 60_000, 30_000, 65536, RelationalQueries.TRUE, "ORTHANC",
            RetrieveStrategy.AUTO,
            MoveRouting.ORIGINATOR, 4, 4, null));

    @AfterEach
    void tearDown() {
        pool.close();
        dimseThread.shutdownNow();
    }

    /** What DimseQidoService does: the search runs on a DIMSE thread, holding a pooled association. */
    private Started start(String... parameters) throws Exception {
        return start(plan(RelationalQueries.TRUE, parameters));
    }

    private static SearchPlan plan(RelationalQueries relationalQueries, String... parameters) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            query.put(parameters[i], List.of(parameters[i + 1]));
        }
        return new QidoQueryParser(10_000).parse(new QidoRequest(QidoResource.INSTANCES, null, null,
                query, "http://gw/aets/ORTHANC"), relationalQueries, "ORTHANC");
    }

    private Started start(SearchPlan plan) throws Exception {
        QidoSearch search = new QidoSearch(plan, "http://gw/aets/ORTHANC", "ORTHANC");
        CompletableFuture<QidoResult> started = new CompletableFuture<>();
        Future<?> running = dimseThread.submit(() -> {
            try (AssociationPool.Lease lease = pool.lease()) {
                search.run(lease, started, 5_000, 5_000);
            }
        });
        return new Started(started.get(10, TimeUnit.SECONDS), running);
    }

    private record Started(QidoResult result, Future<?> running) {
    }

    private static int count(ByteArrayOutputStream body) {
        return Json.createReader(new StringReader(body.toString())).readArray().size();
    }

    @Test
    void aClientGoingAwayCancelsTheFindAndKeepsTheAssociation() throws Exception {
        Started all = start();
        ByteArrayOutputStream everything = new ByteArrayOutputStream();
        all.result().writeTo(everything);
        all.running().get(10, TimeUnit.SECONDS);
        int total = count(everything);
        assertTrue(total > 5, "the samples give more than a handful of instances: " + total);

        Started gone = start();
        OutputStream brokenAfterFirstMatch = new OutputStream() {
            private int bytes;

            @Override
            public void write(int b) throws IOException {
                if (++bytes > 2_000) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        IOException e = assertThrows(IOException.class, () -> gone.result().writeTo(brokenAfterFirstMatch));
        assertTrue(e.getMessage().startsWith("ORTHANC: client went away after "), e.getMessage());
        gone.running().get(10, TimeUnit.SECONDS);
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pool.stats(), "C-CANCEL completed: association kept");

        Started again = start();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        again.result().writeTo(body);
        assertEquals(total, count(body), "the kept association serves the next search in full");
    }

    @Test
    void theAssociationGoesBackBeforeTheAnswerEnds() throws Exception {
        Started search = start();
        List<PoolStats> atEachWrite = new java.util.ArrayList<>();
        ByteArrayOutputStream client = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                atEachWrite.add(pool.stats());
                super.write(bytes, offset, length);
            }
        };
        search.result().writeTo(client);
        search.running().get(10, TimeUnit.SECONDS);
        assertTrue(count(client) > 5, "the samples give more than a handful of instances");
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), atEachWrite.get(atEachWrite.size() - 1),
                "at the last write (the end of the JSON array) the association is idle, ready for the next search");
    }

    private static java.util.Set<String> sopInstanceUids(Started search) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        search.result().writeTo(body);
        return Json.createReader(new StringReader(body.toString())).readArray().stream()
                .map(match -> match.asJsonObject().getJsonObject("00080018").getJsonArray("Value").getString(0))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void autoQueriesLevelByLevelWhereRelationalQueriesWereNotNegotiated() throws Exception {
        // Orthanc 1.10 answers relational C-FINDs but does not accept them in extended negotiation
        // (AssociationNegotiationIT): with auto the gateway queries STUDY, SERIES, IMAGE; the matches are the same.
        SearchPlan auto = plan(RelationalQueries.AUTO);
        SearchPlan forced = plan(RelationalQueries.TRUE);
        assertEquals(List.of(3, 1), pool.execute(association -> List.of(auto.chain().on(association).size(),
                forced.chain().on(association).size())));
        java.util.Set<String> levelByLevel = sopInstanceUids(start(auto));
        assertTrue(levelByLevel.size() > 5, "the samples give more than a handful of instances");
        assertEquals(levelByLevel, sopInstanceUids(start(forced)));
    }

    @Test
    void aLimitEndsTheFindWithCCancel() throws Exception {
        Started limited = start("limit", "2");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        limited.result().writeTo(body);
        limited.running().get(10, TimeUnit.SECONDS);
        assertEquals(2, count(body));
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pool.stats());
    }

    @Test
    void aClientThatStopsReadingHasTheAssociationAbortedOnceNothingWasWrittenForTheStallTimeout() throws Exception {
        Started stalled = start();
        CountDownLatch clientLeaves = new CountDownLatch(1);
        OutputStream stopsReading = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                try {
                    clientLeaves.await(30, TimeUnit.SECONDS); // a write blocked as on a full socket
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Broken pipe");
            }
        };
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = writerThread.submit(() -> {
                stalled.result().writeTo(stopsReading);
                return null;
            });
            // The DIMSE thread gives up 5 s (the stall timeout start() gives) after the writer's last write.
            stalled.running().get(15, TimeUnit.SECONDS);
            assertEquals(new PoolStats("ORTHANC", 0, 0, 0, 0, 1), pool.stats(), "the association was aborted");
            clientLeaves.countDown();
            ExecutionException failed = assertThrows(ExecutionException.class, () -> writer.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failed.getCause());
        } finally {
            writerThread.shutdownNow();
        }
        Started next = start();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        next.result().writeTo(body);
        assertTrue(count(body) > 5, "a new association serves the next search");
    }

    @Test
    void aResultNobodyReadsIsCancelledAfterTheClaimTimeout() throws Exception {
        Started unread = start();
        unread.running().get(10, TimeUnit.SECONDS); // returns once the 5 s claim timeout has passed
        assertEquals(new PoolStats("ORTHANC", 1, 1, 0, 0, 1), pool.stats());
    }
}
