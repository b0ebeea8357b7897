package org.dicomweb.gateway.core.tasks.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.stow.StowOutcomes;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;
import org.dicomweb.gateway.tasks.FailedInstance;

/**
 * A task's instances going into its destination, a batch per store transaction: after {@code batchSize} instances
 * (and at the end) the transaction is finished, and what the destination said of each instance is recorded at once,
 * so that a crash loses at most the open batch (which the next attempt delivers again). Every instance added gets
 * exactly one outcome: one the destination left unreported is failed with the reason it gave for the batch.
 */
final class BatchDelivery implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BatchDelivery.class.getName());

    /** Where a finished batch goes: the task's row, and the arrival event. */
    interface Recorder {
        void record(List<StowResult.Stored> stored, List<FailedInstance> failed);
    }

    /**
     * Asked when a destination failed every instance of a batch: throws (transient) if the destination is down
     * rather than refusing these instances, so that they are delivered again on the next attempt, not failed.
     */
    interface Reachability {
        void check(String why);
    }

    private final String destination;
    private final Supplier<StowTransaction> begin;
    private final int batchSize;
    private final Recorder recorder;
    private final Reachability reachability;
    private final List<FailedInstance> failedBeforeStore = new ArrayList<>();
    private final List<String> batch = new ArrayList<>();
    private StowTransaction transaction;
    private int reported;

    BatchDelivery(String destination, Supplier<StowTransaction> begin, int batchSize, Recorder recorder,
            Reachability reachability) {
        this.destination = destination;
        this.begin = begin;
        this.batchSize = batchSize;
        this.recorder = recorder;
        this.reachability = reachability;
    }

    /** Stores {@code instance} (the caller frees its spooled part afterwards: the transaction spools its own copy). */
    void add(SpooledInstance instance) throws IOException {
        if (transaction == null) {
            transaction = begin.get();
        }
        batch.add(instance.sopInstanceUid());
        try (InputStream part = instance.part().open()) {
            transaction.add(part);
        }
        if (batch.size() >= batchSize) {
            flush();
        }
    }

    /** An instance that failed before it reached the destination (the source sent it broken, or not at all). */
    void failed(FailedInstance failure) {
        failedBeforeStore.add(failure);
    }

    /** Instances recorded so far (delivered or failed). */
    int reported() {
        return reported;
    }

    /** Finishes the open batch and records it (a no-op without one). */
    void flush() {
        List<StowResult.Stored> stored = new ArrayList<>();
        List<FailedInstance> failed = new ArrayList<>(failedBeforeStore);
        if (transaction != null) {
            StowResult result;
            try {
                result = transaction.finish();
            } catch (PeerRejectedException refused) {
                // The destination refused the batch's request as a whole (a 4xx of an upstream): each instance of it
                // is refused, for good; being down is a PeerFailure, and lets the task be retried.
                result = new StowResult(null, List.of(), List.of(StowResult.Failed.unparsed(
                        StowOutcomes.PROCESSING_FAILURE, refused.getMessage())));
            } finally {
                closeTransaction();
            }
            outcomes(result, stored, failed);
        }
        if (stored.isEmpty() && failed.size() > failedBeforeStore.size()) {
            reachability.check(failed.get(failedBeforeStore.size()).reason());
        }
        batch.clear();
        failedBeforeStore.clear();
        if (!stored.isEmpty() || !failed.isEmpty()) {
            recorder.record(stored, failed);
            reported += stored.size() + failed.size();
        }
    }

    /** Each instance of the batch once: stored, failed with its reason, or failed as left unreported. */
    private void outcomes(StowResult result, List<StowResult.Stored> stored, List<FailedInstance> failed) {
        Set<String> inBatch = new HashSet<>(batch);
        Map<String, FailedInstance> failures = new LinkedHashMap<>();
        List<String> unattributed = new ArrayList<>();
        for (StowResult.Stored instance : result.stored()) {
            if (inBatch.remove(instance.sopInstanceUid())) {
                stored.add(instance);
            }
        }
        for (StowResult.Failed failure : result.failed()) {
            if (failure.isUnparsed()) {
                unattributed.add(failure.why());
            } else if (inBatch.remove(failure.sopInstanceUid())) {
                failures.put(failure.sopInstanceUid(), new FailedInstance(failure.sopInstanceUid(), reason(failure)));
            }
        }
        String why = unattributed.isEmpty() ? destination + " did not report it" : named(unattributed.get(0));
        batch.stream().filter(inBatch::contains).forEach(uid -> failures.put(uid, new FailedInstance(uid, why)));
        failed.addAll(failures.values());
    }

    private String reason(StowResult.Failed failure) {
        return named(failure.why()) + " (0x" + Integer.toHexString(failure.failureReason()).toUpperCase() + ")";
    }

    /** A reason that names the destination, once. */
    private String named(String why) {
        return why.startsWith(destination) ? why : destination + ": " + why;
    }

    private void closeTransaction() {
        StowTransaction open = transaction;
        transaction = null;
        try {
            open.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, destination + ": closing a store transaction failed", e);
        }
    }

    /** Records what the open batch stored, so that it is never delivered twice; used on every way out. */
    @Override
    public void close() {
        flush();
    }
}
