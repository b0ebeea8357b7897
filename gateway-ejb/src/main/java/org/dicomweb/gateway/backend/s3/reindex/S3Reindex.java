package org.dicomweb.gateway.backend.s3.reindex;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.S3Backend;
import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.backend.s3.index.ReindexStore;
import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.error.ConflictException;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.reindex.ReindexService;
import org.dicomweb.gateway.reindex.ReindexStatus;
import org.dicomweb.gateway.reindex.ReindexStatus.State;

/**
 * The reindex of S3 AEs (docs/architecture.md, "The S3 index"): one {@link ReindexRun} per AE at a time across the
 * nodes sharing the database (the AE's s3_reindex row is claimed first), on the gateway's managed executor.
 */
@ApplicationScoped
public class S3Reindex implements ReindexService {

    @Inject
    BackendRegistry backends;

    @Inject
    S3Buckets buckets;

    @Inject
    InstanceIndex index;

    @Inject
    ReindexStore store;

    @Override
    public ReindexStatus start(String aet) {
        Bucket bucket = bucketOf(aet);
        String runId = UUID.randomUUID().toString();
        ReindexCounts counts = new ReindexCounts(aet, Instant.now());
        ReindexStatus first = counts.status(State.RUNNING, null, null);
        if (!index.call("starting a reindex of " + aet, () -> claim(first, runId))) {
            ReindexStatus running = status(aet);
            throw new ConflictException("a reindex of " + aet + " is running since " + running.started() + " ("
                    + running.listed() + " objects listed so far); GET /aets/" + aet + "/reindex follows it");
        }
        ObjectIndexer indexer = new ObjectIndexer(bucket, index, TempDirectories.of("s3"),
                buckets.gateway().wadoBulkDataThresholdBytes());
        ReindexRun run = new ReindexRun(bucket, index, store, indexer, buckets.executor(), runId, counts);
        try {
            buckets.executor().execute(run);
        } catch (RejectedExecutionException e) {
            String why = "no free gateway thread for a reindex of " + aet + "; try again later";
            run.refused(why);
            throw new GatewayBusyException(why);
        }
        return first;
    }

    /** The claim; a lost race for the AE's first row (the primary key) is a run started elsewhere. */
    private boolean claim(ReindexStatus first, String runId) {
        try {
            return store.claim(first, runId);
        } catch (PersistenceException | TransactionalException e) {
            if (store.status(first.aet()).map(s -> s.state() == State.RUNNING).orElse(false)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public ReindexStatus status(String aet) {
        bucketOf(aet);
        return index.call("reading the reindex of " + aet, () -> store.status(aet))
                .orElseThrow(() -> new NotFoundInPacsException("AE " + aet + " has never been reindexed"));
    }

    /** 404 for an unknown AE (as everywhere) and for one whose backend keeps no index. */
    private Bucket bucketOf(String aet) {
        Backend backend = backends.backend(aet);
        if (!S3Backend.NAME.equals(backend.name())) {
            throw new NotFoundInPacsException("AE " + aet + " is served by backend " + backend.name()
                    + "; only S3 AEs have an index");
        }
        return buckets.of(aet);
    }
}
