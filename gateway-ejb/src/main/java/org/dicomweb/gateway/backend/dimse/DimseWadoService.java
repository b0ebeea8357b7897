package org.dicomweb.gateway.backend.dimse;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.backend.dimse.query.FindExchange;
import org.dicomweb.gateway.backend.dimse.query.MatchStream;
import org.dicomweb.gateway.backend.dimse.query.QidoQueryParser;
import org.dicomweb.gateway.backend.dimse.query.SearchPlan;
import org.dicomweb.gateway.backend.dimse.retrieve.GetExchange;
import org.dicomweb.gateway.backend.dimse.retrieve.InstanceRetrieval;
import org.dicomweb.gateway.backend.dimse.retrieve.MoveRetrieval;
import org.dicomweb.gateway.backend.dimse.retrieve.NothingToRetrieveException;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveContexts;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveIdentifier;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.core.concurrent.HandedOverWork;
import org.dicomweb.gateway.core.transcode.FrameCodecs;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * {@link WadoService} over C-GET or C-MOVE, as each AE is configured (retrieve=get|move|auto): exactly the level
 * asked (study, series or instance) is retrieved. C-GET runs on an association from the AE's retrieve pool for the
 * transfer syntaxes the client takes; C-MOVE on a query/retrieve association, to the gateway's own Storage SCP.
 */
@ApplicationScoped
@Typed(DimseWadoService.class) // not a bean of the service type: the web layer gets the BackendRouter
public class DimseWadoService implements WadoService {

    private static final Logger LOG = Logger.getLogger(DimseWadoService.class.getName());

    @Inject
    DimseDevice device;

    /** AEs that refused C-GET: with retrieve=auto they are asked with C-MOVE from then on. */
    private final Set<String> getRefused = ConcurrentHashMap.newKeySet();
    private final Map<String, OperationSlots> retrieveSlots = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow(() -> new UnknownAeException(aet));
        List<String> transferSyntaxes = proposed(request.transferSyntax());
        AttributeList identifier = RetrieveIdentifier.of(request);
        CompletableFuture<RetrievedInstances> started = HandedOverWork.start(device.executor(), "DIMSE",
                "a retrieval from " + aet, handover -> {
                    try {
                        retrieve(ae, request, identifier, transferSyntaxes, handover);
                    } catch (NothingToRetrieveException e) {
                        handover.completeExceptionally(exists(aet, identifier)
                                ? e : new NotFoundInPacsException(aet + " has no " + request.describe()));
                    }
                });
        return Deadlines.within(started, ae);
    }

    /** At most max-concurrent-retrieves at once per AE (one, with sequential C-MOVE routing). */
    private void retrieve(RemoteAe ae, WadoRequest request, AttributeList identifier, List<String> transferSyntaxes,
            CompletableFuture<RetrievedInstances> started) {
        OperationSlots slots = retrieveSlots.computeIfAbsent(ae.aet(), aet -> new OperationSlots(aet, "retrievals",
                ae.moveRouting() == MoveRouting.SEQUENTIAL && ae.retrieveStrategy() == RetrieveStrategy.MOVE
                        ? 1 : ae.maxConcurrentRetrieves(), ae.poolWaitTimeoutMs(), PeerTimeoutException::new));
        try (OperationSlots.Slot slot = slots.acquire()) {
            if (usesMove(ae)) {
                retrieveByMove(ae, request, identifier, started);
                return;
            }
            try {
                retrieveByGet(ae, request, identifier, transferSyntaxes, started);
            } catch (GetExchange.GetRefusedException refused) {
                if (ae.retrieveStrategy() != RetrieveStrategy.AUTO) {
                    throw refused;
                }
                LOG.info(refused.getMessage() + "; retrieving from " + ae.aet() + " with C-MOVE from now on");
                getRefused.add(ae.aet());
                retrieveByMove(ae, request, identifier, started);
            }
        }
    }

    private boolean usesMove(RemoteAe ae) {
        return ae.retrieveStrategy() == RetrieveStrategy.MOVE
                || (ae.retrieveStrategy() == RetrieveStrategy.AUTO && getRefused.contains(ae.aet()));
    }

    private void retrieveByGet(RemoteAe ae, WadoRequest request, AttributeList identifier,
            List<String> transferSyntaxes, CompletableFuture<RetrievedInstances> started) {
        InstanceRetrieval retrieval = new InstanceRetrieval(ae.aet(), request.describe());
        device.retrievePool(ae.aet(), transferSyntaxes).execute(association -> {
            retrieval.run(association, identifier, started, ae.dimseTimeoutMs(),
                    device.stallTimeoutMs(ae));
            return null;
        });
    }

    /**
     * C-MOVE to the gateway's own Storage SCP, on a query/retrieve association. For a PACS that leaves the Move
     * Originator fields out, a C-FIND first lists the instances to expect.
     */
    private void retrieveByMove(RemoteAe ae, WadoRequest request, AttributeList identifier,
            CompletableFuture<RetrievedInstances> started) {
        device.pool(ae.aet()).orElseThrow().execute(association -> {
            Set<String> expected = ae.moveRouting() == MoveRouting.INSTANCE_UIDS
                    ? expectedInstances(association, ae, request) : Set.of();
            MoveRetrieval retrieval = new MoveRetrieval(ae.aet(), request.describe(), ae.callingAet(),
                    ae.calledAet(), DimseCommands.nextMessageId(), ae.moveRouting(), expected, started,
                    device.executor(), ae.dimseTimeoutMs(), device.stallTimeoutMs(ae),
                    WadoRequest.ANY_TRANSFER_SYNTAX.equals(request.transferSyntax()) ? null : request.transferSyntax());
            device.moveRouter().register(retrieval, (long) ae.poolWaitTimeoutMs() + ae.dimseTimeoutMs());
            try {
                retrieval.run(association, identifier, device.settings().scp().aet());
            } finally {
                device.moveRouter().unregister(retrieval);
            }
            return null;
        });
    }

    /** The SOP Instance UIDs a retrieval will bring, from a C-FIND on the same association. */
    private Set<String> expectedInstances(DimseAssociation association, RemoteAe ae, WadoRequest request) {
        if (request.instanceUid() != null) {
            return Set.of(request.instanceUid());
        }
        QidoRequest query = new QidoRequest(request.seriesUid() != null
                ? QidoResource.STUDY_SERIES_INSTANCES : QidoResource.STUDY_INSTANCES,
                request.studyUid(), request.seriesUid(), Map.of(), "");
        SearchPlan plan = new QidoQueryParser(Integer.MAX_VALUE).parse(query, ae.relationalQueries(), ae.aet());
        MatchStream matches = new MatchStream(association, plan.chain());
        Set<String> uids = new HashSet<>();
        for (AttributeList match = matches.next(); match != null; match = matches.next()) {
            uids.add(Attribute.getSingleStringValueOrEmptyString(match, TagFromName.SOPInstanceUID));
        }
        return uids;
    }

    /** Whether a C-FIND at the retrieval's level finds what the identifier names. */
    private boolean exists(String aet, AttributeList identifier) {
        return device.pool(aet).orElseThrow().execute(association -> FindExchange.findsAny(association, identifier));
    }

    /** Those a C-GET can propose for the client; a C-MOVE's Storage SCP takes them too. */
    @Override
    public List<String> transferSyntaxes(String aet) {
        return RetrieveContexts.ANY_TRANSFER_SYNTAX;
    }

    /** The request's syntax is "*" or one of those {@link #transferSyntaxes} names: the core checked it. */
    private static List<String> proposed(String requested) {
        return WadoRequest.ANY_TRANSFER_SYNTAX.equals(requested) ? RetrieveContexts.ANY_TRANSFER_SYNTAX
                : RetrieveContexts.forRequest(requested, FrameCodecs.decodable());
    }

}
