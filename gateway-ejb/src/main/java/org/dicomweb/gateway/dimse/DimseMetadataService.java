package org.dicomweb.gateway.dimse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import org.dicomweb.gateway.cache.CachedInstance;
import org.dicomweb.gateway.cache.CachedStudy;
import org.dicomweb.gateway.cache.StudyCache;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * {@link WadoMetadataService} from the study cache: a study not cached is retrieved whole (whatever level was asked,
 * since a viewer goes on to ask for the rest of it) with the PACS's own transfer syntaxes, then read from disk.
 */
@ApplicationScoped
public class DimseMetadataService implements WadoMetadataService {

    @Inject
    DimseDevice device;

    @Inject
    WadoService wado;

    @Inject
    StudyCache cache;

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        int threshold = device.settings().wadoBulkDataThresholdBytes();
        return study(aet, request).thenApply(study -> {
            List<CachedInstance> selected = study.instances().stream()
                    .filter(i -> request.seriesUid() == null || i.seriesUid().equals(request.seriesUid()))
                    .filter(i -> request.instanceUid() == null || i.sopInstanceUid().equals(request.instanceUid()))
                    .toList();
            if (selected.isEmpty()) {
                study.close();
                throw new NotFoundInPacsException(aet + " has no " + DimseWadoService.describe(request));
            }
            return out -> write(out, study, selected, retrieveBase + "/studies/" + request.studyUid(), threshold);
        });
    }

    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        return study(aet, instance).thenApply(study -> {
            try (study) {
                CachedInstance cached = study.instance(instance.seriesUid(), instance.instanceUid())
                        .orElseThrow(() -> new NotFoundInPacsException(aet + " has no " + DimseWadoService.describe(instance)));
                return BulkDataValues.value(InstanceFile.read(cached.file()), tagPath, DimseWadoService.describe(instance));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private CompletionStage<CachedStudy> study(String aet, WadoRequest request) {
        device.settings().remoteAe(aet).orElseThrow(() -> new UnknownAeException(aet));
        DimseWadoService.uid("study", request.studyUid());
        if (request.seriesUid() != null) {
            DimseWadoService.uid("series", request.seriesUid());
        }
        if (request.instanceUid() != null) {
            DimseWadoService.uid("instance", request.instanceUid());
        }
        WadoRequest wholeStudy = new WadoRequest(request.studyUid(), null, null, WadoRequest.ANY_TRANSFER_SYNTAX);
        return cache.study(aet, request.studyUid(), () -> wado.retrieve(aet, wholeStudy), device.executor());
    }

    /** Reads one cached file at a time: memory does not grow with the study. */
    private static void write(OutputStream out, CachedStudy study, List<CachedInstance> instances, String studyUrl,
            int threshold) throws IOException {
        try (study) {
            JsonGenerator json = Json.createGenerator(out);
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
