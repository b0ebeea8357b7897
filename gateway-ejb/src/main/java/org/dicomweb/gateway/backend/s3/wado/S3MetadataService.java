package org.dicomweb.gateway.backend.s3.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.json.BulkDataValues;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * WADO-RS metadata from the JSON objects the bucket keeps ({@link SeriesMetadata}), series by series, never from the
 * instances' objects unless a JSON object is missing; bulk data from the instance's object.
 */
public final class S3MetadataService implements WadoMetadataService {

    private final S3Buckets buckets;
    private final InstanceIndex index;
    private final Path spool;

    public S3MetadataService(S3Buckets buckets, InstanceIndex index, Path spool) {
        this.buckets = buckets;
        this.index = index;
        this.spool = spool;
    }

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        Bucket bucket = buckets.of(aet);
        return buckets.run(aet, "metadata", () -> {
            List<IndexedInstance> instances = index.instances(aet, request);
            if (instances.isEmpty()) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            SeriesMetadata series = new SeriesMetadata(bucket, index, buckets.executor(), spool,
                    buckets.gateway().wadoBulkDataThresholdBytes());
            List<List<IndexedInstance>> bySeries = bySeries(instances);
            // The first series' source opened now, so that a store that is down is a 502 before the body starts.
            SeriesMetadata.Items first = series.open(bySeries.get(0));
            return new DicomJsonBody() {
                @Override
                public void writeTo(OutputStream out) throws IOException {
                    try {
                        OutputStream served = StoredMetadata.served(out, retrieveBase);
                        served.write('[');
                        first.writeTo(true, served);
                        for (List<IndexedInstance> ofSeries : bySeries.subList(1, bySeries.size())) {
                            series.open(ofSeries).writeTo(false, served);
                        }
                        served.write(']');
                        served.close();
                    } finally {
                        first.close(); // also when the client went away before the first series was written
                    }
                }

                @Override
                public void abandon() {
                    first.close();
                }
            };
        });
    }

    /** The instances (in index order, series after series) cut into their series. */
    private static List<List<IndexedInstance>> bySeries(List<IndexedInstance> instances) {
        List<List<IndexedInstance>> series = new ArrayList<>();
        for (IndexedInstance instance : instances) {
            if (series.isEmpty() || !series.get(series.size() - 1).get(0).seriesUid().equals(instance.seriesUid())) {
                series.add(new ArrayList<>());
            }
            series.get(series.size() - 1).add(instance);
        }
        return series;
    }

    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        Bucket bucket = buckets.of(aet);
        return buckets.run(aet, "bulk data", () -> {
            IndexedInstance stored = S3PixelService.one(index, aet, instance);
            try (ObjectFiles.ObjectFile file = ObjectFiles.download(bucket, stored, spool)) {
                return BulkDataValues.value(InstanceFile.read(file.path()), tagPath, instance.describe());
            }
        });
    }
}
