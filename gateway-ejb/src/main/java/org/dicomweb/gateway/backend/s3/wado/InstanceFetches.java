package org.dicomweb.gateway.backend.s3.wado;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.Prefetch;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.core.dicom.ImplicitExplicitConverter;
import org.dicomweb.gateway.core.dicom.Part10;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * The objects of a retrieval, fetched ahead ({@link Prefetch}, request-parallelism GETs, each spooled: in memory
 * while the read budget lasts, else to a file) and written in index order. An object the index lists but the bucket
 * lacks is left out and named in the epilogue; a failing store ends the body without its closing delimiter.
 */
final class InstanceFetches implements RetrievedInstances {

    private final Bucket bucket;
    private final String wantedTransferSyntax;
    private final Prefetch<IndexedInstance, Optional<SpooledPart>> fetches;
    /** The first object, fetched before the response started. */
    private IndexedInstance firstInstance;
    private Optional<SpooledPart> first;

    InstanceFetches(Bucket bucket, List<IndexedInstance> instances, Executor executor,
            SpoolBudget budget, Path spool, String wantedTransferSyntax) {
        this.bucket = bucket;
        this.wantedTransferSyntax = wantedTransferSyntax;
        this.fetches = new Prefetch<>(instances, IndexedInstance::key, bucket.settings().requestParallelism(),
                executor, 4L * bucket.settings().requestTimeoutMs(), instance -> {
                    try (Bucket.Download download = bucket.get(instance.key()).orElse(null)) {
                        return download == null ? Optional.empty()
                                : Optional.of(SpooledPart.spool(download.body(), budget, spool));
                    }
                }, part -> part.ifPresent(InstanceFetches::discard));
    }

    /** The first object, waited for before the response starts, so that a store that is down is a 502, not a cut body. */
    void awaitFirst() throws IOException {
        firstInstance = fetches.peekItem();
        first = fetches.next();
    }

    @Override
    public void writeTo(InstanceSink sink) throws IOException {
        List<String> missing = new ArrayList<>();
        try {
            if (firstInstance != null) {
                write(firstInstance, first, sink, missing);
                first = null;
            }
            while (fetches.hasNext()) {
                IndexedInstance instance = fetches.peekItem();
                write(instance, fetches.next(), sink, missing);
            }
            sink.finish(missing.isEmpty() ? null : bucket.settings().aet() + ": " + missing.size()
                    + " instance(s) listed in the index are missing in the bucket: " + String.join(", ", missing));
        } catch (GatewayException e) {
            // The response has begun, so a store failing now can only cut it: as an IOException the connection ends
            // without the last chunk; a runtime exception would let the server end the body as if it were complete.
            throw new IOException(e.getMessage(), e);
        } finally {
            abandon();
        }
    }

    private void write(IndexedInstance instance, Optional<SpooledPart> part, InstanceSink sink, List<String> missing)
            throws IOException {
        if (part.isEmpty()) {
            missing.add(instance.sopInstanceUid());
            return;
        }
        try (SpooledPart spooled = part.get()) {
            write(instance, spooled, sink);
        }
    }

    /**
     * Between Implicit and Explicit VR Little Endian converted as it streams (the only conversion without a codec),
     * else as stored, its part's content type saying so: the core transcodes it to what the client asked.
     */
    private void write(IndexedInstance instance, SpooledPart part, InstanceSink sink) throws IOException {
        String stored = instance.transferSyntax();
        boolean convert = ImplicitExplicitConverter.converts(stored, wantedTransferSyntax);
        String syntax = convert ? wantedTransferSyntax : stored;
        OutputStream out = sink.nextPart("application/dicom; transfer-syntax=" + syntax);
        try (InputStream in = convert ? new BufferedInputStream(part.open()) : part.open()) {
            if (!convert) {
                in.transferTo(out);
                return;
            }
            in.skipNBytes(DataSetOffset.of(in, instance.key()));
            Part10.writeHeader(out, instance.sopClassUid(), instance.sopInstanceUid(), syntax,
                    bucket.settings().aet());
            ImplicitExplicitConverter converter = new ImplicitExplicitConverter(out, stored);
            in.transferTo(converter);
            converter.finish();
        }
    }

    @Override
    public void abandon() {
        if (first != null) {
            first.ifPresent(InstanceFetches::discard);
            first = null;
        }
        fetches.abandon();
    }

    static void discard(SpooledPart part) {
        try {
            part.close();
        } catch (IOException e) {
            // a temporary file under WildFly's temp directory, which the server cleans
        }
    }
}
