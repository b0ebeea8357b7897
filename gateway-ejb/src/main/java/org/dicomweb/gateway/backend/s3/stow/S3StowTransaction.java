package org.dicomweb.gateway.backend.s3.stow;

import java.nio.file.Path;
import java.util.concurrent.Executor;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.stow.SpooledStowTransaction;

/**
 * One STOW-RS request into the bucket (the bookkeeping is {@link SpooledStowTransaction}'s): every part spooled to a
 * temporary file, since the upload and the frame layout read it from there, and stored by {@link InstanceUpload}.
 */
final class S3StowTransaction extends SpooledStowTransaction {

    private static final SpoolBudget FILES_ONLY = new SpoolBudget(0, 0);

    private final Bucket bucket;
    private final InstanceIndex index;
    private final int bulkDataThreshold;

    S3StowTransaction(Bucket bucket, InstanceIndex index, Executor executor, Path spool, String studyUid,
            int parallelStores, int bulkDataThreshold) {
        // Two uploads and a few short index transactions, each bounded by the request timeout.
        super(bucket.settings().aet(), studyUid, executor, FILES_ONLY, spool, parallelStores,
                4L * bucket.settings().requestTimeoutMs());
        this.bucket = bucket;
        this.index = index;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    @Override
    protected Object store(SpooledInstance instance) {
        return new InstanceUpload(bucket, index, instance, bulkDataThreshold).store();
    }
}
