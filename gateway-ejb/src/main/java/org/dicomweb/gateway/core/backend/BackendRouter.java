package org.dicomweb.gateway.core.backend;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.core.changefeed.Arrivals;
import org.dicomweb.gateway.core.changefeed.InstancesArrived;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.stow.StowTransaction;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * The service beans the web layer injects: each call goes to the backend of the AE it names (404 for an AE not
 * configured), so the web layer never knows which backend serves an AE.
 */
@ApplicationScoped
public class BackendRouter implements AeService, QidoService, WadoService, WadoMetadataService, WadoPixelService,
        StowService {

    @Inject
    BackendRegistry registry;

    @Inject
    Arrivals arrivals;

    @Override
    public List<AeDescription> list() {
        return registry.aets().stream().map(aet -> registry.backend(aet).describe(aet)).toList();
    }

    @Override
    public CompletionStage<EchoResult> echo(String aet) {
        return registry.backend(aet).verify(aet);
    }

    @Override
    public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
        return registry.backend(aet).services().qido().search(aet, request);
    }

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        return registry.backend(aet).services().wado().retrieve(aet, request);
    }

    @Override
    public List<String> transferSyntaxes(String aet) {
        return registry.backend(aet).services().wado().transferSyntaxes(aet);
    }

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        return registry.backend(aet).services().metadata().metadata(aet, request, retrieveBase);
    }

    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        return registry.backend(aet).services().metadata().bulkData(aet, instance, tagPath);
    }

    @Override
    public CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers) {
        return registry.backend(aet).services().pixels().frames(aet, instance, frameNumbers);
    }

    @Override
    public CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering) {
        return registry.backend(aet).services().pixels().rendered(aet, target, frame, rendering);
    }

    /** STOW-RS: what the backend stores enters the change feed. */
    @Override
    public StowTransaction begin(String aet, String studyUid) {
        return arrivals.begin(aet, studyUid, InstancesArrived.STOW_RS);
    }
}
