package org.dicomweb.gateway.backend.s3.stow;

import java.nio.file.Path;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.stow.StowTransaction;

/** STOW-RS into the bucket: one {@link S3StowTransaction} per request. */
public final class S3StowService implements StowService {

    private final S3Buckets buckets;
    private final InstanceIndex index;
    private final Path spool;

    public S3StowService(S3Buckets buckets, InstanceIndex index, Path spool) {
        this.buckets = buckets;
        this.index = index;
        this.spool = spool;
    }

    /**
     * The index is asked first: with its database down the request is a 503 naming it before the body is read, not
     * a 409 listing every part failed for a reason no part has.
     */
    @Override
    public StowTransaction begin(String aet, String studyUid) {
        Bucket bucket = buckets.of(aet);
        index.ping(aet);
        return new S3StowTransaction(bucket, index, buckets.executor(), spool, studyUid,
                buckets.gateway().stowParallelStores(), buckets.gateway().wadoBulkDataThresholdBytes());
    }
}
