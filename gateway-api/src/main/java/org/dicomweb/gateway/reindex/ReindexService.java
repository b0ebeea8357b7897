package org.dicomweb.gateway.reindex;

/**
 * Rebuilds the index of an AE served from S3 from the objects in its bucket: for buckets filled by other tools, and
 * to drop index rows whose objects are gone. One run per AE at a time, across every node sharing the database.
 */
public interface ReindexService {

    /**
     * Starts a run in the background and returns its first status (RUNNING). 409 (ConflictException) while a run of
     * the AE is alive; 404 for an unknown AE or one whose backend has no index.
     */
    ReindexStatus start(String aet);

    /** The running or last run of the AE; 404 if it was never reindexed. */
    ReindexStatus status(String aet);
}
