package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that go away before or while reading, and requests whose body is never written (HEAD): whatever a response
 * held (cache leases, open files, associations, threads) is given back.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ManyDisconnectsIT extends DeployedGateway {

    private static final String ANY = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final int CLIENTS = 200;
    private static final int AT_ONCE = 20;
    /** Pools start and end threads and associations (sockets) as they go: what a warm server may hold beyond before. */
    private static final int THREAD_TOLERANCE = 10;
    private static final int FD_TOLERANCE = 10;
    /** Idle associations are released after gateway.aet.*.idle-timeout-ms (15 s). */
    private static final long SETTLE_MS = 25_000;

    @ArquillianResource
    ManagementClient management;

    /** One client's request and how it leaves. */
    private record Visit(String path, String accept, Leaving leaving) {
    }

    private enum Leaving {
        /** closes right after sending the request */
        BEFORE_THE_ANSWER,
        /** reads the status line and headers, then closes */
        AFTER_THE_HEAD,
        /** reads some of the body, then resets the connection (RST) */
        MIDWAY
    }

    private static List<Visit> visits() {
        String study = SampleStudies.studies().get(0);
        String series = SampleStudies.series(study).get(0);
        String instance = "/studies/" + study + "/series/" + series + "/instances/"
                + SampleStudies.instances(study, series).get(0);
        List<String[]> requests = List.of(
                new String[] {"/aets/ORTHANC/studies/" + study, ANY},
                new String[] {"/aets/ORTHANC-MOVE/studies/" + study, ANY},
                new String[] {"/aets/DCMQRSCP" + instance, ANY},
                new String[] {"/aets/ORTHANC/studies/" + study + "/metadata", "application/dicom+json"},
                new String[] {"/aets/ORTHANC" + instance + "/bulkdata/7FE00010", OCTET_STREAM},
                new String[] {"/aets/ORTHANC" + instance + "/frames/1", "multipart/related; type=\"" + OCTET_STREAM
                        + "\""},
                new String[] {"/aets/ORTHANC/studies?limit=5", "application/dicom+json"},
                new String[] {"/aets/ORTHANC/instances", "application/dicom+json"});
        List<Visit> visits = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String[] request = requests.get(i % requests.size());
            visits.add(new Visit(request[0], request[1], Leaving.values()[i / requests.size() % 3]));
        }
        return visits;
    }

    @Test
    void twoHundredClientsThatLeaveEarlyLeaveThreadsFilesAndAssociationsAsTheyWere() throws Exception {
        String pid = ServerProcess.pid(management);
        Path cache = ServerProcess.cacheDirectory(management);
        List<Visit> visits = visits();
        // The same load once before: the thread pools grow to what it needs (and keep their threads a while), the
        // association pools and the cache fill. A second round must leave nothing more behind.
        run(visits);
        assertTrue(ServerProcess.await(SETTLE_MS, () -> ServerProcess.busyAssociations() == 0), "warm-up settles");
        int threadsBefore = ServerProcess.threads(management);
        int filesBefore = ServerProcess.openFiles(pid).size();

        run(visits);

        assertTrue(ServerProcess.await(SETTLE_MS, () -> ServerProcess.busyAssociations() == 0),
                "no association left busy: " + ServerProcess.busyAssociations());
        assertTrue(ServerProcess.await(SETTLE_MS, () -> openUnder(pid, cache).isEmpty()),
                "no cached file left open: " + openUnder(pid, cache));
        assertTrue(ServerProcess.await(SETTLE_MS, () -> threads() <= threadsBefore + THREAD_TOLERANCE),
                "threads: " + threadsBefore + " warm before, " + threads() + " after");
        assertTrue(ServerProcess.await(SETTLE_MS, () -> openFiles(pid) <= filesBefore + FD_TOLERANCE),
                "file descriptors: " + filesBefore + " warm before, " + openFiles(pid) + " after");
        // Orthanc (4 DICOM threads) may still be ending the C-MOVEs the clients left, so the first search can wait
        // past its 3 s DIMSE timeout (a 504, seen once in a fresh-clone run): serving again within the settle time
        // is what counts; an association or slot leaked for good would fail it.
        Http.Reply[] last = new Http.Reply[1];
        assertTrue(ServerProcess.await(SETTLE_MS, () -> {
            last[0] = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?limit=1");
            return last[0].status() == 200;
        }), () -> "still serving: " + last[0].status() + " " + last[0].body());
    }

    @Test
    void aHeadLeavesNoFileOpenAndNoAssociationBusy() throws Exception {
        String pid = ServerProcess.pid(management);
        Path cache = ServerProcess.cacheDirectory(management);
        for (Visit visit : visits().subList(0, 8)) {
            try (Socket client = RawHttp.send("HEAD", visit.path(), visit.accept())) {
                String head = RawHttp.head(client.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 200"), visit.path() + ": " + head);
            }
        }
        // The HEADs' bodies were never written: each was released when its request ended.
        assertTrue(ServerProcess.await(10_000, () -> openUnder(pid, cache).isEmpty()),
                "no cached file left open: " + openUnder(pid, cache));
        assertTrue(ServerProcess.await(10_000, () -> ServerProcess.busyAssociations() == 0),
                "no association left busy: " + ServerProcess.busyAssociations());
    }

    /** All visits, {@value #AT_ONCE} at a time. */
    private static void run(List<Visit> visits) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Callable<Void>> tasks = visits.stream().<Callable<Void>>map(visit -> () -> {
                visit(visit);
                return null;
            }).toList();
            for (Future<Void> done : clients.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                done.get(); // a visit that failed on the client side (not the server's doing) fails the test
            }
        } finally {
            clients.shutdownNow();
            assertTrue(clients.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static void visit(Visit visit) throws IOException {
        try (Socket client = RawHttp.send("GET", visit.path(), visit.accept())) {
            InputStream in = client.getInputStream();
            switch (visit.leaving()) {
                case BEFORE_THE_ANSWER -> client.setSoLinger(true, 0);
                case AFTER_THE_HEAD -> RawHttp.head(in);
                case MIDWAY -> {
                    RawHttp.head(in);
                    in.read(new byte[16_384]); // what has come of the body (a short one may be all of it)
                    client.setSoLinger(true, 0);
                }
            }
        }
    }

    private int threads() {
        try {
            return ServerProcess.threads(management);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int openFiles(String pid) {
        try {
            return ServerProcess.openFiles(pid).size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> openUnder(String pid, Path directory) {
        try {
            return ServerProcess.openFilesUnder(pid, directory);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
