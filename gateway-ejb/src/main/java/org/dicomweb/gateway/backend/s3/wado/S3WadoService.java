package org.dicomweb.gateway.backend.s3.wado;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.dicom.ImplicitExplicitConverter;
import org.dicomweb.gateway.core.dicom.TransferSyntaxes;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS instances from the bucket: the index lists the CREATED instances asked (in series and instance order), and
 * their objects are fetched ahead in parallel ({@link InstanceFetches}) and written as stored. A transfer syntax other
 * than the stored one is served only between Implicit and Explicit VR Little Endian; anything else is a 406 before the
 * response starts, naming the instance (transcoding is not part of this backend).
 */
public final class S3WadoService implements WadoService {

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
            String wanted = request.transferSyntax();
            if (!wanted.equals(WadoRequest.ANY_TRANSFER_SYNTAX)) {
                for (IndexedInstance instance : instances) {
                    if (!instance.transferSyntax().equals(wanted)
                            && !ImplicitExplicitConverter.converts(instance.transferSyntax(), wanted)) {
                        throw new NotAcceptableException(aet + " holds instance " + instance.sopInstanceUid()
                                + " in transfer syntax " + instance.transferSyntax() + " and does not transcode it to "
                                + wanted + "; ask for transfer-syntax=* to get it as stored",
                                List.of("multipart/related; type=\"application/dicom\"; transfer-syntax=*"));
                    }
                }
            }
            InstanceFetches fetches = new InstanceFetches(bucket, instances, buckets.executor(), budget, spool,
                    wanted);
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

    /** Any: whether an instance can be served in the syntax asked is decided per instance, before the response. */
    @Override
    public List<String> transferSyntaxes(String aet) {
        return TransferSyntaxes.STANDARD;
    }
}
