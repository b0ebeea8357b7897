package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.json.BulkDataValues;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * {@link WadoMetadataService} from the study cache: a study not cached is retrieved whole (whatever level was asked,
 * since a viewer goes on to ask for the rest of it) with the PACS's own transfer syntaxes, then read from disk.
 */
public final class CachedMetadataService implements WadoMetadataService {

    private final StudyLeases leases;
    private final int threshold;

    /** {@code threshold}: values longer than this many bytes are given as BulkDataURI (gateway.wado.bulkdata-threshold-bytes). */
    public CachedMetadataService(StudyLeases leases, int threshold) {
        this.leases = leases;
        this.threshold = threshold;
    }

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        return leases.study(aet, request).thenApply(study -> {
            List<CachedInstance> selected = study.instances().stream()
                    .filter(i -> request.seriesUid() == null || i.seriesUid().equals(request.seriesUid()))
                    .filter(i -> request.instanceUid() == null || i.sopInstanceUid().equals(request.instanceUid()))
                    .toList();
            if (selected.isEmpty()) {
                study.close();
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            return new MetadataBody(study, selected, retrieveBase + "/studies/" + request.studyUid(), threshold);
        });
    }

    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        return leases.readInstance(aet, instance, file -> BulkDataValues.value(InstanceFile.read(file), tagPath,
                instance.describe()));
    }

    /** The metadata of {@code instances}, holding the study's lease until written or abandoned. */
    private record MetadataBody(CachedStudy study, List<CachedInstance> instances, String studyUrl, int threshold)
            implements DicomJsonBody {

        @Override
        public void writeTo(OutputStream out) throws IOException {
            write(out, study, instances, studyUrl, threshold);
        }

        @Override
        public void abandon() {
            study.close();
        }
    }

    /** Reads one cached file at a time: memory does not grow with the study. */
    private static void write(OutputStream out, CachedStudy study, List<CachedInstance> instances, String studyUrl,
            int threshold) throws IOException {
        try (study) {
            JsonGenerator json = DicomJson.generator(out);
            json.writeStartArray();
            for (CachedInstance instance : instances) {
                String instanceUrl = studyUrl + "/series/" + instance.seriesUid() + "/instances/"
                        + instance.sopInstanceUid();
                DicomJson.writeObject(json, InstanceFile.read(instance.file()).dataSetWithPixelDataPlaceholder(),
                        BulkDataValues.locator(instanceUrl, threshold));
                json.flush();
            }
            json.writeEnd();
            json.flush();
        } catch (JsonException clientGone) {
            throw new IOException("client went away while metadata was written", clientGone);
        }
    }
}
