package org.dicomweb.gateway.backend.s3.reindex;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import software.amazon.awssdk.services.s3.model.S3Object;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.Prefetch;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.backend.s3.index.ReindexStore;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.reindex.ReindexStatus;
import org.dicomweb.gateway.reindex.ReindexStatus.State;

/**
 * One reindex of an AE, on one executor thread: the bucket listed under the AE's prefix a page (1000) at a time; of
 * each page's {@code .dcm} objects, those the index holds CREATED with the same ETag are unchanged, the others read
 * by {@link ObjectIndexer}, request-parallelism at a time; then the rows (any state) whose key was not listed and
 * that nobody wrote since the run started are removed. The listed keys are kept in memory (about 100 bytes each:
 * 10 MB for 100 000 objects) rather than marked in the database, which would cost a write per unchanged row.
 * Progress goes to s3_reindex every {@link #REPORT_EVERY} objects or {@link #REPORT_INTERVAL}.
 */
final class ReindexRun implements Runnable {

    private static final Logger LOG = Logger.getLogger(ReindexRun.class.getName());

    static final int REPORT_EVERY = 100;
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(30);
    /** Rows asked for, and removed, at once (one IN list). */
    private static final int ROW_PAGE = 1000;

    /** Another node took the run over (after this one made no progress for ReindexStore.STALE): stop. */
    private static final class TakenOver extends RuntimeException {
        TakenOver() {
            super(null, null, false, false);
        }
    }

    private final Bucket bucket;
    private final InstanceIndex index;
    private final ReindexStore store;
    private final ObjectIndexer indexer;
    private final Executor executor;
    private final String runId;
    private final ReindexCounts counts;
    private final Set<String> listedKeys = new HashSet<>();
    private long reportedDone;
    private Instant reportedAt;

    ReindexRun(Bucket bucket, InstanceIndex index, ReindexStore store, ObjectIndexer indexer, Executor executor,
            String runId, ReindexCounts counts) {
        this.bucket = bucket;
        this.index = index;
        this.store = store;
        this.indexer = indexer;
        this.executor = executor;
        this.runId = runId;
        this.counts = counts;
        this.reportedAt = counts.started();
    }

    private String aet() {
        return bucket.settings().aet();
    }

    @Override
    public void run() {
        try {
            bucket.list(bucket.settings().root(), this::page);
            removeUnlisted();
            end(counts.status(State.COMPLETED, Instant.now(), null));
            LOG.info(aet() + ": reindex completed: " + counts.status(State.COMPLETED, null, null));
        } catch (TakenOver e) {
            LOG.warning(aet() + ": reindex " + runId + " stops: another run took it over");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, aet() + ": reindex failed", e);
            end(counts.status(State.FAILED, Instant.now(), e.getMessage()));
        }
    }

    /** The end of a run that never got a thread. */
    void refused(String why) {
        end(counts.status(State.FAILED, Instant.now(), why));
    }

    private void end(ReindexStatus status) {
        try {
            index.call("recording the end of a reindex", () -> store.record(status, runId));
        } catch (GatewayException e) {
            LOG.warning(aet() + ": the end of reindex " + runId + " (" + status.state() + ") is not recorded, so it"
                    + " shows as failed once it is " + ReindexStore.STALE + " old: " + e.getMessage());
        }
    }

    private void page(List<S3Object> objects) {
        List<S3Object> instances = objects.stream().filter(o -> o.key().endsWith(".dcm")).toList();
        instances.forEach(o -> listedKeys.add(o.key()));
        counts.listed(instances.size());
        List<String> keys = instances.stream().map(S3Object::key).toList();
        Map<String, String> etags = index.call("looking up listed objects", () -> store.createdEtags(aet(), keys));
        List<S3Object> changed = new ArrayList<>();
        for (S3Object object : instances) {
            if (object.eTag() != null && object.eTag().equals(etags.get(object.key()))) {
                counts.unchanged();
            } else {
                changed.add(object);
            }
        }
        reportIfDue();
        read(changed);
    }

    private void read(List<S3Object> objects) {
        // Each object: at most two GETs, a HEAD, a PUT and a few short transactions, each within the request timeout.
        long deadlineMs = 6L * bucket.settings().requestTimeoutMs();
        Prefetch<S3Object, Boolean> reads = new Prefetch<>(objects, S3Object::key,
                bucket.settings().requestParallelism(), executor, deadlineMs, object -> {
                    indexer.index(object);
                    return true;
                }, ignored -> { });
        try {
            while (reads.hasNext()) {
                String key = reads.peekItem().key();
                try {
                    reads.next();
                    counts.indexed();
                } catch (IOException | GatewayException e) {
                    counts.failed(key, e.getMessage());
                }
                reportIfDue();
            }
        } finally {
            reads.abandon();
        }
    }

    private void removeUnlisted() {
        List<Long> gone = new ArrayList<>();
        long after = 0;
        for (List<ReindexStore.KeyedRow> rows; !(rows = rowsAfter(after)).isEmpty(); ) {
            rows.stream().filter(row -> !listedKeys.contains(row.key())).forEach(row -> gone.add(row.pk()));
            after = rows.get(rows.size() - 1).pk();
        }
        for (int from = 0; from < gone.size(); from += ROW_PAGE) {
            List<Long> batch = gone.subList(from, Math.min(gone.size(), from + ROW_PAGE));
            counts.removed(index.call("removing rows of objects gone", () -> store.remove(aet(), batch)));
            reportIfDue();
        }
        index.call("removing empty series and studies", () -> {
            store.removeEmpty(aet(), counts.started());
            return null;
        });
    }

    private List<ReindexStore.KeyedRow> rowsAfter(long afterPk) {
        return index.call("listing rows", () -> store.rowsBefore(aet(), counts.started(), afterPk, ROW_PAGE));
    }

    private void reportIfDue() {
        Instant now = Instant.now();
        if (counts.done() - reportedDone < REPORT_EVERY && now.isBefore(reportedAt.plus(REPORT_INTERVAL))) {
            return;
        }
        ReindexStatus status = counts.status(State.RUNNING, null, null);
        if (!index.call("recording reindex progress", () -> store.record(status, runId))) {
            throw new TakenOver();
        }
        reportedDone = counts.done();
        reportedAt = now;
    }
}
