package org.dicomweb.gateway.backend.s3.wado;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS instances from the bucket: the index lists the CREATED instances asked (in series and instance order), and
 * their objects are fetched ahead in parallel ({@link InstanceFetches}) and written as stored. The backend converts
 * only between Implicit and Explicit VR Little Endian; an instance stored in another syntax is delivered as stored,
 * and the core transcodes it to what the client asked.
 */
public final class S3WadoService implements WadoService {

    private static final List<String> CONVERTED = List.of(TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ImplicitVRLittleEndian);

    private final S3Buckets buckets;
    private final InstanceIndex index;
    private final SpoolBudget budget;
    private final Path spool;

    public S3WadoService(S3Buckets buckets, InstanceIndex index, SpoolBudget budget, Path spool) {
        this.buckets = buckets;
        this.index = index;
        this.budget = budget;
        this.spool = spool;
    }

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        var bucket = buckets.of(aet);
        return buckets.run(aet, "a retrieval", () -> {
            List<IndexedInstance> instances = index.instances(aet, request);
            if (instances.isEmpty()) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            InstanceFetches fetches = new InstanceFetches(bucket, instances, buckets.executor(), budget, spool,
                    request.transferSyntax());
            try {
                fetches.awaitFirst();
            } catch (java.io.IOException | RuntimeException e) {
                fetches.abandon();
                throw e instanceof RuntimeException r ? r
                        : new org.dicomweb.gateway.error.PeerFailureException(e.getMessage(), e);
            }
            return fetches;
        });
    }

    /** Those it converts itself; for any other the core asks for "*" and transcodes. */
    @Override
    public List<String> transferSyntaxes(String aet) {
        return CONVERTED;
    }
}
