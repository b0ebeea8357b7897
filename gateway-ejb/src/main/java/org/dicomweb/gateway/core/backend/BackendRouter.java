package org.dicomweb.gateway.core.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.core.changefeed.Arrivals;
import org.dicomweb.gateway.core.changefeed.InstancesArrived;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.core.transcode.InstanceTranscoder;
import org.dicomweb.gateway.core.transcode.TranscodedInstances;
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
 * configured), so the web layer never knows which backend serves an AE. WADO-RS instances are asked of the backend in
 * the transfer syntax the client wants if the backend lists it, else as held ("*"), and whatever arrives in another
 * syntax is transcoded on the way ({@link TranscodedInstances}): a client may ask for any syntax the core produces.
 */
@ApplicationScoped
public class BackendRouter implements AeService, QidoService, WadoService, WadoMetadataService, WadoPixelService,
        StowService {

    @Inject
    BackendRegistry registry;

    @Inject
    Arrivals arrivals;

    @Inject
    GatewayConfiguration configuration;

    /** Instances waiting to be transcoded, and their transcoded copies, are held like STOW-RS parts. */
    private SpoolBudget transcodeBudget;
    private Path transcodeSpool;

    @PostConstruct
    void start() {
        GatewaySettings gateway = configuration.settings();
        transcodeBudget = new SpoolBudget(gateway.stowMemorySpoolMb(), gateway.stowMemoryPartKb());
        transcodeSpool = TempDirectories.of("transcode");
    }

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
        WadoService wado = registry.backend(aet).services().wado();
        String wanted = request.transferSyntax();
        if (WadoRequest.ANY_TRANSFER_SYNTAX.equals(wanted)) {
            return wado.retrieve(aet, request);
        }
        WadoRequest asked = wado.transferSyntaxes(aet).contains(wanted) ? request : new WadoRequest(
                request.studyUid(), request.seriesUid(), request.instanceUid(), WadoRequest.ANY_TRANSFER_SYNTAX);
        return wado.retrieve(aet, asked).thenApply(
                instances -> new TranscodedInstances(instances, wanted, transcodeBudget, transcodeSpool));
    }

    /**
     * What the backend delivers as asked (a PACS that holds JPEG 2000, or transcodes itself, still serves it), and
     * what the core produces from any source: the native syntaxes and those a codec encodes.
     */
    @Override
    public List<String> transferSyntaxes(String aet) {
        List<String> delivered = registry.backend(aet).services().wado().transferSyntaxes(aet);
        return Stream.concat(InstanceTranscoder.produced().stream(), delivered.stream())
                .distinct().toList();
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
