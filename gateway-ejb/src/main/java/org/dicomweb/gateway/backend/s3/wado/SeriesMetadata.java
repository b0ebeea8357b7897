package org.dicomweb.gateway.backend.s3.wado;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.Prefetch;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.error.GatewayException;

/**
 * The metadata of one series' instances as array items: from the series' aggregate object ({@code metadata.json}
 * beside its instances) when the index says it holds exactly the instances stored now (a digest of their keys and
 * ETags), so that a 500-instance series is one GET; otherwise from each instance's JSON object, fetched ahead in
 * parallel, and written to a new aggregate as it goes. An instance without a JSON object (a bucket filled by other
 * tools) has it made from its object's header, and stored for next time.
 */
final class SeriesMetadata {

    private static final Logger LOG = Logger.getLogger(SeriesMetadata.class.getName());
    static final String AGGREGATE = "metadata.json";

    private final Bucket bucket;
    private final InstanceIndex index;
    private final Executor executor;
    private final Path spool;
    private final int bulkDataThreshold;

    SeriesMetadata(Bucket bucket, InstanceIndex index, Executor executor, Path spool, int bulkDataThreshold) {
        this.bucket = bucket;
        this.index = index;
        this.executor = executor;
        this.spool = spool;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    /**
     * Writes the items of {@code instances} (one series, in order), each preceded by a comma unless
     * {@code first}; the caller writes the array's brackets.
     */
    void writeItems(List<IndexedInstance> instances, boolean first, OutputStream out) throws IOException {
        IndexedInstance any = instances.get(0);
        String aggregateKey = bucket.settings().seriesKey(any.studyUid(), any.seriesUid()) + AGGREGATE;
        String digest = digest(instances);
        if (instances.size() > 1 && digest.equals(index.metadataDigest(bucket.settings().aet(), any.seriesUid())
                .orElse(null)) && copyAggregate(aggregateKey, first, out)) {
            return;
        }
        Path aggregate = instances.size() > 1 ? Files.createTempFile(spool, "series-", ".json") : null;
        try {
            try (OutputStream copy = aggregate == null ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(aggregate)) {
                writeFromInstances(instances, first, out, copy);
            }
            if (aggregate != null) {
                store(aggregate, aggregateKey, any.seriesUid(), digest);
            }
        } finally {
            if (aggregate != null) {
                Files.deleteIfExists(aggregate);
            }
        }
    }

    /** The aggregate is an array: its items are what lies between the first and the last byte. */
    private boolean copyAggregate(String key, boolean first, OutputStream out) throws IOException {
        Optional<Bucket.Download> found = bucket.get(key);
        if (found.isEmpty()) {
            return false;
        }
        try (Bucket.Download download = found.get()) {
            long length = download.length();
            InputStream in = download.body();
            if (length < 2 || in.read() != '[') {
                throw new IOException(key + " is not a series metadata array");
            }
            if (!first) {
                out.write(',');
            }
            long items = length - 2;
            byte[] buffer = new byte[64 * 1024];
            while (items > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, items));
                if (n < 0) {
                    throw new IOException(key + " ended early");
                }
                out.write(buffer, 0, n);
                items -= n;
            }
            return true;
        }
    }

    private void writeFromInstances(List<IndexedInstance> instances, boolean first, OutputStream out,
            OutputStream aggregate) throws IOException {
        Prefetch<IndexedInstance, byte[]> jsons = new Prefetch<>(instances, IndexedInstance::metadataKey,
                bucket.settings().requestParallelism(), executor, 4L * bucket.settings().requestTimeoutMs(),
                this::json, json -> { });
        try {
            aggregate.write('[');
            for (boolean firstInSeries = true; jsons.hasNext(); firstInSeries = false) {
                byte[] json = jsons.next();
                if (!(first && firstInSeries)) {
                    out.write(',');
                }
                out.write(json);
                if (!firstInSeries) {
                    aggregate.write(',');
                }
                aggregate.write(json);
            }
            aggregate.write(']');
        } finally {
            jsons.abandon();
        }
    }

    /** The instance's JSON object; made from its object (and stored) if the bucket has none. */
    private byte[] json(IndexedInstance instance) throws IOException {
        Optional<Bucket.Download> found = bucket.get(instance.metadataKey());
        if (found.isPresent()) {
            try (Bucket.Download download = found.get()) {
                return download.body().readAllBytes();
            }
        }
        try (ObjectFiles.ObjectFile file = ObjectFiles.download(bucket, instance, spool)) {
            byte[] json = StoredMetadata.of(InstanceFile.read(file.path()), instance.studyUid(),
                    instance.seriesUid(), bulkDataThreshold);
            bucket.put(instance.metadataKey(), json, "application/dicom+json");
            return json;
        }
    }

    /** Best effort: a failure leaves the next request to read the instances' objects again. */
    private void store(Path aggregate, String key, String seriesUid, String digest) {
        try {
            bucket.put(key, aggregate, Files.size(aggregate), "application/dicom+json");
            index.metadataStored(bucket.settings().aet(), seriesUid, digest);
        } catch (GatewayException | IOException e) {
            LOG.log(Level.INFO, bucket.settings().aet() + ": series metadata " + key + " not stored: "
                    + e.getMessage());
        }
    }

    /** Of the instances' keys and ETags, in order: any instance stored, replaced or removed changes it. */
    static String digest(List<IndexedInstance> instances) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (IndexedInstance instance : instances) {
                sha.update((instance.key() + "\t" + instance.etag() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
