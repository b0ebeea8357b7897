package org.dicomweb.gateway.dimse;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.config.RemoteAe;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * {@link WadoService} over C-GET: exactly the level asked (study, series or instance) is retrieved, on an association
 * from the AE's retrieve pool for the transfer syntaxes the client takes.
 */
@ApplicationScoped
public class DimseWadoService implements WadoService {

    private static final Logger LOG = Logger.getLogger(DimseWadoService.class.getName());
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    @Inject
    DimseDevice device;

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow(() -> new UnknownAeException(aet));
        List<String> transferSyntaxes = transferSyntaxes(request.transferSyntax());
        AttributeList identifier = identifier(request);
        AssociationPool pool = device.retrievePool(aet, transferSyntaxes);
        InstanceRetrieval retrieval = new InstanceRetrieval(aet, describe(request));
        CompletableFuture<RetrievedInstances> started = new CompletableFuture<>();
        try {
            device.executor().execute(() -> {
                try {
                    pool.execute(association -> {
                        retrieval.run(association, identifier, started, ae.dimseTimeoutMs());
                        return null;
                    });
                } catch (InstanceRetrieval.NothingToRetrieveException e) {
                    started.completeExceptionally(exists(aet, identifier)
                            ? e : new NotFoundInPacsException(aet + " has no " + describe(request)));
                } catch (RuntimeException e) {
                    if (!started.completeExceptionally(e)) {
                        LOG.log(Level.FINE, aet + ": retrieval ended with a failure after it was handed over", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            throw new GatewayBusyException("no free DIMSE thread for a retrieval from " + aet + "; try again later");
        }
        return Deadlines.within(started, ae);
    }

    /** Whether a C-FIND at the retrieval's level finds what the identifier names. */
    private boolean exists(String aet, AttributeList identifier) {
        return device.pool(aet).orElseThrow().execute(association -> {
            FindExchange find = FindExchange.start(association, identifier);
            boolean found = find.next() != null;
            find.cancel();
            return found;
        });
    }

    private static List<String> transferSyntaxes(String requested) {
        if (WadoRequest.ANY_TRANSFER_SYNTAX.equals(requested)) {
            return RetrieveContexts.ANY_TRANSFER_SYNTAX;
        }
        if (!UID.matcher(requested).matches()) {
            throw new InvalidRequestException("transfer-syntax '" + requested + "' is neither * nor a UID");
        }
        return List.of(requested);
    }

    private static AttributeList identifier(WadoRequest request) {
        AttributeList identifier = new AttributeList();
        String level = request.instanceUid() != null ? "IMAGE" : request.seriesUid() != null ? "SERIES" : "STUDY";
        put(identifier, TagFromName.QueryRetrieveLevel, level);
        put(identifier, TagFromName.StudyInstanceUID, uid("study", request.studyUid()));
        if (request.seriesUid() != null) {
            put(identifier, TagFromName.SeriesInstanceUID, uid("series", request.seriesUid()));
        }
        if (request.instanceUid() != null) {
            put(identifier, TagFromName.SOPInstanceUID, uid("instance", request.instanceUid()));
        }
        return identifier;
    }

    private static String uid(String what, String value) {
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw new InvalidRequestException(what + " UID '" + value + "' is not a UID");
        }
        return value;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) {
        try {
            Attribute attribute = AttributeFactory.newAttribute(tag);
            attribute.addValue(value);
            list.put(attribute);
        } catch (DicomException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(WadoRequest request) {
        return request.instanceUid() != null ? "instance " + request.instanceUid()
                : request.seriesUid() != null ? "series " + request.seriesUid() : "study " + request.studyUid();
    }
}
