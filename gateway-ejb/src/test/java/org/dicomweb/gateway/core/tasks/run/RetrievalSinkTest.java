package org.dicomweb.gateway.core.tasks.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.testdata.CtImages;

/**
 * The runner's sink over real Part 10 files and a real spool directory: what it skips, how it batches, what each
 * instance's outcome is, how it stops a retrieval, and that no spooled file is left on any path.
 */
class RetrievalSinkTest {

    private static final String STUDY = "1.2.826.0.1.3680043.10.2.1";
    private static final String SERIES = "1.2.826.0.1.3680043.10.2.1.1";

    @TempDir
    Path dir;

    /** A destination that keeps what it was given, and answers each instance as its rule says. */
    private static final class Destination {
        final Map<String, byte[]> stored = new LinkedHashMap<>();
        final List<List<String>> transactions = new ArrayList<>();
        /** Instances it refuses with 0xA700; all refused if {@code refuseAll}. */
        final Set<String> refuse = new HashSet<>();
        boolean refuseAll;
        /** Refuses the whole store request, as an upstream answering 4xx does. */
        boolean refuseRequest;
        /** Leaves an instance out of its answer, as an upstream that lost one would. */
        final Set<String> unreported = new HashSet<>();
        int open;

        StowTransaction begin() {
            List<String> added = new ArrayList<>();
            transactions.add(added);
            open++;
            return new StowTransaction() {
                final List<StowResult.Stored> ok = new ArrayList<>();
                final List<StowResult.Failed> failed = new ArrayList<>();

                @Override
                public void add(InputStream part) throws IOException {
                    byte[] bytes = part.readAllBytes();
                    String uid = uidOf(bytes);
                    added.add(uid);
                    if (unreported.contains(uid)) {
                        failed.add(StowResult.Failed.unparsed(0x0110, "lost it"));
                    } else if (refuseAll || refuse.contains(uid)) {
                        failed.add(new StowResult.Failed(SOPClass.CTImageStorage, uid, 0xA700, "out of resources"));
                    } else {
                        stored.put(uid, bytes);
                        ok.add(new StowResult.Stored(SOPClass.CTImageStorage, uid, STUDY, SERIES, null));
                    }
                }

                @Override
                public void reject(String why) {
                    throw new AssertionError("the runner never rejects a part");
                }

                @Override
                public void bodyFailed(String why) {
                    throw new AssertionError("the runner never fails a body");
                }

                @Override
                public StowResult finish() {
                    if (refuseRequest) {
                        throw new PeerRejectedException(415, "DEST: the upstream refused the store request with 415");
                    }
                    return new StowResult(STUDY, ok, failed);
                }

                @Override
                public void close() {
                    open--;
                }
            };
        }
    }

    private final Destination destination = new Destination();
    private final List<List<StowResult.Stored>> recordedStored = new ArrayList<>();
    private final List<List<FailedInstance>> recordedFailed = new ArrayList<>();
    private final List<String> reachabilityChecks = new ArrayList<>();
    private final Set<String> deliveredBefore = new HashSet<>();
    private final Set<String> handled = new HashSet<>();
    private boolean cancelled;

    private BatchDelivery delivery(int batchSize) {
        return new BatchDelivery("DEST", destination::begin, batchSize, (stored, failed) -> {
            recordedStored.add(stored);
            recordedFailed.add(failed);
        }, reachabilityChecks::add);
    }

    private RetrievalSink sink(BatchDelivery delivery, SpoolBudget budget) throws IOException {
        return new RetrievalSink("SRC", delivery, budget, Files.createDirectories(dir.resolve("spool")),
                deliveredBefore::contains, handled, () -> cancelled);
    }

    private static String uid(int n) {
        return SERIES + "." + n;
    }

    /** A real CT instance; {@code pixels} 16-bit samples make it as large as a test needs. */
    private Path instance(int n, int pixels) throws IOException, DicomException {
        short[] samples = new short[pixels];
        for (int i = 0; i < pixels; i++) {
            samples[i] = (short) (i * 31 + n);
        }
        return CtImages.write(CtImages.image(STUDY, SERIES, uid(n), 1, pixels, 1, samples),
                dir.resolve("instance-" + n + ".dcm"));
    }

    private static String uidOf(byte[] part10) throws IOException {
        Path file = Files.createTempFile("uid-", ".dcm");
        try {
            Files.write(file, part10);
            try (SpooledPart part = SpooledPart.spool(Files.newInputStream(file), new SpoolBudget(0, 0),
                    file.getParent())) {
                return SpooledInstance.read(part).sopInstanceUid();
            } catch (SpooledInstance.Unreadable e) {
                throw new IOException(e);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Writes the files as a retrieval does: in pieces, each part's stream left open. */
    private static void retrieve(RetrievalSink sink, List<Path> files) throws IOException {
        for (Path file : files) {
            OutputStream part = sink.nextPart("application/dicom");
            byte[] bytes = Files.readAllBytes(file);
            for (int at = 0; at < bytes.length; at += 1000) {
                part.write(bytes, at, Math.min(1000, bytes.length - at));
            }
        }
        sink.finish(null);
    }

    private long spooledFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            return files.count();
        }
    }

    private List<Path> instances(int count, int pixels) throws IOException, DicomException {
        List<Path> files = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            files.add(instance(n, pixels));
        }
        return files;
    }

    @Test
    void everyInstanceArrivesWholeInBatchesOfTheConfiguredSizeAndEachIsRecordedOnce()
            throws IOException, DicomException {
        List<Path> files = instances(7, 40000); // 80 kB each: over one 64 kB chunk, so chunked memory spooling
        BatchDelivery delivery = delivery(3);
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 2048));

        retrieve(sink, files);
        delivery.close();

        assertTrue(sink.finished());
        assertEquals(List.of(3, 3, 1), destination.transactions.stream().map(List::size).toList());
        assertEquals(0, destination.open, "every transaction closed");
        for (int n = 1; n <= 7; n++) {
            assertArrayEquals(Files.readAllBytes(files.get(n - 1)), destination.stored.get(uid(n)), "instance " + n);
        }
        assertEquals(List.of(3, 3, 1), recordedStored.stream().map(List::size).toList());
        assertEquals(7, delivery.reported());
        assertEquals(0, spooledFiles());
    }

    @Test
    void instancesLargerThanTheMemoryBudgetGoThroughTemporaryFilesThatAreDeleted() throws IOException, DicomException {
        List<Path> files = instances(3, 300000); // 600 kB each, memory for 64 kB parts only
        BatchDelivery delivery = delivery(2);
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 64));

        retrieve(sink, files);
        delivery.close();

        for (int n = 1; n <= 3; n++) {
            assertArrayEquals(Files.readAllBytes(files.get(n - 1)), destination.stored.get(uid(n)), "instance " + n);
        }
        assertEquals(0, spooledFiles());
    }

    @Test
    void instancesDeliveredBeforeOrAlreadyInThisAttemptAreSkipped() throws IOException, DicomException {
        List<Path> files = instances(5, 100);
        deliveredBefore.add(uid(2));
        handled.add(uid(4)); // an earlier retrieval of this attempt had it
        BatchDelivery delivery = delivery(16);
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 2048));

        retrieve(sink, files);
        delivery.close();

        assertEquals(List.of(uid(1), uid(3), uid(5)), List.copyOf(destination.stored.keySet()));
        assertEquals(Set.of(uid(1), uid(2), uid(3), uid(4), uid(5)), sink.received());
        assertEquals(3, delivery.reported());
    }

    @Test
    void refusedAndUnreportedInstancesAreFailedByUidWithTheDestinationsReason() throws IOException, DicomException {
        List<Path> files = instances(4, 100);
        destination.refuse.add(uid(2));
        destination.unreported.add(uid(3));
        BatchDelivery delivery = delivery(16);

        retrieve(sink(delivery, new SpoolBudget(1, 2048)), files);
        delivery.close();

        assertEquals(List.of(uid(1), uid(4)), recordedStored.get(0).stream().map(StowResult.Stored::sopInstanceUid)
                .toList());
        assertEquals(List.of(new FailedInstance(uid(2), "DEST: out of resources (0xA700)"),
                new FailedInstance(uid(3), "DEST: lost it")), recordedFailed.get(0));
        assertEquals(List.of(), reachabilityChecks, "a batch with stored instances is no sign of a destination down");
    }

    @Test
    void aBatchRefusedWholeIsFailedPerInstanceOnceTheDestinationIsSeenUp() throws IOException, DicomException {
        destination.refuseAll = true;
        BatchDelivery delivery = delivery(2);

        retrieve(sink(delivery, new SpoolBudget(1, 2048)), instances(2, 100));
        delivery.close();

        assertEquals(List.of("DEST: out of resources (0xA700)"), reachabilityChecks);
        assertEquals(2, recordedFailed.get(0).size());
        assertEquals(List.of(), recordedStored.get(0));
    }

    @Test
    void aStoreRequestRefusedWholeFailsEachInstanceOfItsBatchForGood() throws IOException, DicomException {
        destination.refuseRequest = true;
        BatchDelivery delivery = delivery(2);

        retrieve(sink(delivery, new SpoolBudget(1, 2048)), instances(3, 100));
        delivery.close();

        FailedInstance refused = new FailedInstance(uid(1), "DEST: the upstream refused the store request with 415");
        assertEquals(List.of(refused, new FailedInstance(uid(2), refused.reason())), recordedFailed.get(0));
        assertEquals(List.of(new FailedInstance(uid(3), refused.reason())), recordedFailed.get(1));
        assertEquals(3, delivery.reported());
        assertEquals(0, destination.open);
    }

    @Test
    void aDestinationDownStopsTheRetrievalWithItsFailureAndRecordsNothingOfThatBatch()
            throws IOException, DicomException {
        destination.refuseAll = true;
        PeerFailureException down = new PeerFailureException("DEST does not answer", null);
        BatchDelivery delivery = new BatchDelivery("DEST", destination::begin, 2, (stored, failed) -> {
            recordedStored.add(stored);
            recordedFailed.add(failed);
        }, why -> {
            throw down;
        });
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 2048));

        assertThrows(IOException.class, () -> retrieve(sink, instances(4, 100)));
        sink.abort();
        delivery.close();

        assertSame(down, sink.destinationFailure());
        assertEquals(List.of(), recordedFailed, "the instances go again on the next attempt");
        assertEquals(0, destination.open);
        assertEquals(0, spooledFiles());
    }

    @Test
    void aCancelStopsAtTheNextPartAndWhatWasReceivedIsStillDelivered() throws IOException, DicomException {
        List<Path> files = instances(5, 100);
        BatchDelivery delivery = delivery(16);
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 2048));

        OutputStream first = sink.nextPart("application/dicom");
        first.write(Files.readAllBytes(files.get(0)));
        OutputStream second = sink.nextPart("application/dicom");
        second.write(Files.readAllBytes(files.get(1)));
        cancelled = true;
        assertThrows(IOException.class, () -> sink.nextPart("application/dicom"));
        sink.abort();
        delivery.close();

        assertTrue(sink.cancelSeen());
        assertEquals(List.of(uid(1), uid(2)), List.copyOf(destination.stored.keySet()));
        assertEquals(2, delivery.reported());
        assertEquals(0, spooledFiles());
    }

    @Test
    void aPartCutOffMidwayLeavesNoSpooledFile() throws IOException, DicomException {
        Path big = instance(1, 300000);
        BatchDelivery delivery = delivery(16);
        RetrievalSink sink = sink(delivery, new SpoolBudget(0, 0));

        OutputStream part = sink.nextPart("application/dicom");
        part.write(Files.readAllBytes(big), 0, 200000);
        assertEquals(1, spooledFiles());
        sink.abort(); // the retrieval broke off
        delivery.close();

        assertEquals(0, spooledFiles());
        assertEquals(List.of(), destination.transactions);
    }

    @Test
    void anInstanceTheSourceSentBrokenIsFailedByItsUid() throws IOException, DicomException {
        List<Path> files = instances(2, 100);
        BatchDelivery delivery = delivery(16);
        RetrievalSink sink = sink(delivery, new SpoolBudget(1, 2048));
        // The data set names another instance than its file meta information: never stored.
        byte[] mismatched = Files.readAllBytes(files.get(1));
        byte[] other = uid(9).getBytes();
        byte[] own = uid(2).getBytes();
        int at = lastIndexOf(mismatched, own);
        System.arraycopy(other, 0, mismatched, at, other.length);

        sink.nextPart("application/dicom").write(Files.readAllBytes(files.get(0)));
        sink.nextPart("application/dicom").write(mismatched);
        sink.finish(null);
        delivery.close();

        assertEquals(List.of(uid(1)), List.copyOf(destination.stored.keySet()));
        assertEquals(uid(2), recordedFailed.get(0).get(0).sopInstanceUid());
        assertTrue(recordedFailed.get(0).get(0).reason().startsWith("SRC sent an instance that cannot be stored"),
                recordedFailed.get(0).get(0).reason());
    }

    private static int lastIndexOf(byte[] bytes, byte[] sought) {
        for (int i = bytes.length - sought.length; i >= 0; i--) {
            int j = 0;
            while (j < sought.length && bytes[i + j] == sought[j]) {
                j++;
            }
            if (j == sought.length) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
