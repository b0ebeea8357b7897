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
     * One series' items with their source opened: the aggregate's GET under way, or the instances' JSON objects
     * fetched ahead with the first one arrived. Opening the first series before the response starts makes a store
     * that is down a 502, not a cut body. Write it or close it.
     */
    final class Items implements AutoCloseable {
        private final List<IndexedInstance> instances;
        private final String aggregateKey;
        private final String digest;
        private final Bucket.Download aggregate;
        private final Prefetch<IndexedInstance, byte[]> jsons;
        private final byte[] firstJson;

        private Items(List<IndexedInstance> instances, String aggregateKey, String digest, Bucket.Download aggregate,
                Prefetch<IndexedInstance, byte[]> jsons, byte[] firstJson) {
            this.instances = instances;
            this.aggregateKey = aggregateKey;
            this.digest = digest;
            this.aggregate = aggregate;
            this.jsons = jsons;
            this.firstJson = firstJson;
        }

        /** The items, each preceded by a comma unless {@code first}; the caller writes the array's brackets. */
        void writeTo(boolean first, OutputStream out) throws IOException {
            try {
                if (aggregate != null) {
                    copyAggregate(aggregate, aggregateKey, first, out);
                } else {
                    writeFromInstances(first, out);
                }
            } finally {
                close();
            }
        }

        private void writeFromInstances(boolean first, OutputStream out) throws IOException {
            Path copy = instances.size() > 1 ? Files.createTempFile(spool, "series-", ".json") : null;
            try {
                try (OutputStream stored = copy == null ? OutputStream.nullOutputStream()
                        : Files.newOutputStream(copy)) {
                    stored.write('[');
                    byte[] json = firstJson;
                    for (boolean firstInSeries = true; json != null; firstInSeries = false) {
                        if (!(first && firstInSeries)) {
                            out.write(',');
                        }
                        out.write(json);
                        if (!firstInSeries) {
                            stored.write(',');
                        }
                        stored.write(json);
                        json = jsons.hasNext() ? jsons.next() : null;
                    }
                    stored.write(']');
                }
                if (copy != null) {
                    store(copy, aggregateKey, instances.get(0).seriesUid(), digest);
                }
            } finally {
                if (copy != null) {
                    Files.deleteIfExists(copy);
                }
            }
        }

        @Override
        public void close() {
            if (aggregate != null) {
                aggregate.close();
            } else {
                jsons.abandon();
            }
        }
    }

    /** The items of {@code instances} (one series, in order), opened: see {@link Items}. */
    Items open(List<IndexedInstance> instances) throws IOException {
        IndexedInstance any = instances.get(0);
        String aggregateKey = bucket.settings().seriesKey(any.studyUid(), any.seriesUid()) + AGGREGATE;
        String digest = digest(instances);
        if (instances.size() > 1 && digest.equals(index.metadataDigest(bucket.settings().aet(), any.seriesUid())
                .orElse(null))) {
            Optional<Bucket.Download> aggregate = bucket.get(aggregateKey);
            if (aggregate.isPresent()) {
                return new Items(instances, aggregateKey, digest, aggregate.get(), null, null);
            }
        }
        Prefetch<IndexedInstance, byte[]> jsons = new Prefetch<>(instances, IndexedInstance::metadataKey,
                bucket.settings().requestParallelism(), executor, 4L * bucket.settings().requestTimeoutMs(),
                this::json, json -> { });
        try {
            return new Items(instances, aggregateKey, digest, null, jsons, jsons.next());
        } catch (IOException | RuntimeException e) {
            jsons.abandon();
            throw e;
        }
    }

    /** The aggregate is an array: its items are what lies between the first and the last byte. */
    private static void copyAggregate(Bucket.Download download, String key, boolean first, OutputStream out)
            throws IOException {
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
