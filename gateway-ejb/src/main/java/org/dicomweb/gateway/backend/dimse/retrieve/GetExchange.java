package org.dicomweb.gateway.backend.dimse.retrieve;

import java.io.IOException;
import java.io.OutputStream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.CGetRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;

/**
 * One Study Root C-GET (PS3.4 C.4.3) on an association negotiated with {@link RetrieveContexts}: the PACS sends each
 * instance as a C-STORE sub-operation on the same association, interleaved with pending C-GET responses. The caller
 * takes one event at a time, streams each incoming data set wherever it goes, and the exchange answers the C-STORE.
 * PixelMed's GetSOPClassSCU writes every instance to a file and cannot reuse an association, hence this class.
 */
public final class GetExchange {

    private static final int C_STORE_RQ = 0x0001;
    private static final int STATUS_PENDING = 0xFF00;
    private static final int STORE_SUCCESS = 0x0000;
    /** C-STORE failure "Out of Resources" (PS3.4 B.2.3): what the gateway answers when it cannot pass an instance on. */
    private static final int STORE_OUT_OF_RESOURCES = 0xA700;

    private final DimseAssociation association;
    private final DimseMessageReader reader;
    private final byte getContextId;
    private final int messageId;
    private Incoming pending;
    private RetrieveOutcome outcome;

    /** A C-STORE-RQ whose data set has not been read yet. */
    record Incoming(String sopClassUid, String sopInstanceUid, String transferSyntax, int messageId, byte contextId) {
    }

    private GetExchange(DimseAssociation association, byte getContextId, int messageId) {
        this.association = association;
        this.reader = association.reader();
        this.getContextId = getContextId;
        this.messageId = messageId;
    }

    static GetExchange start(DimseAssociation association, AttributeList identifier) {
        return association.exchange("C-GET", () -> {
            association.operationBegins("C-GET");
            byte contextId;
            try {
                contextId = association.contextFor(RetrieveContexts.GET_SOP_CLASS);
            } catch (com.pixelmed.network.DicomNetworkException notNegotiated) {
                throw new GetRefusedException(association.ae().aet() + " does not accept C-GET (Study Root GET"
                        + " presentation context rejected)");
            }
            CGetRequestCommandMessage request = new CGetRequestCommandMessage(RetrieveContexts.GET_SOP_CLASS);
            association.send(contextId, request.getBytes(),
                    DimseCommands.encode(identifier, association.transferSyntaxOf(contextId)));
            return new GetExchange(association, contextId, request.getMessageID());
        });
    }

    /** The next incoming instance, or null once the final C-GET response has arrived (see {@link #outcome()}). */
    Incoming next() {
        return association.exchange("C-GET", () -> {
            while (true) {
                AttributeList command = reader.readCommand();
                int field = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, 0);
                if (field == C_STORE_RQ) {
                    byte contextId = reader.contextId(); // one SOP class may have several contexts
                    pending = new Incoming(
                            Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPClassUID),
                            Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPInstanceUID),
                            association.transferSyntaxOf(contextId),
                            Attribute.getSingleIntegerValueOrDefault(command, TagFromName.MessageID, 0), contextId);
                    return pending;
                }
                if (DimseCommands.hasDataSet(command)) {
                    reader.readData(); // a failed-SOP-instance list; the counts say enough
                }
                int status = DimseCommands.status(command);
                if (status != STATUS_PENDING) {
                    association.operationEnds(status);
                    outcome = RetrieveOutcome.of(command);
                    return null;
                }
            }
        });
    }

    RetrieveOutcome outcome() {
        return outcome;
    }

    /**
     * Streams the pending instance's data set into {@code sink} and answers its C-STORE: success once every byte went
     * into the sink, Out of Resources if the sink failed (its IOException is then rethrown, after the answer).
     */
    void receive(OutputStream sink) throws IOException {
        Incoming incoming = pending;
        pending = null;
        IOException sinkFailure = association.exchange("C-STORE", () -> {
            reader.streamData(sink);
            IOException failure = reader.sinkFailure();
            int status = failure == null ? STORE_SUCCESS : STORE_OUT_OF_RESOURCES;
            association.send(incoming.contextId(), new CStoreResponseCommandMessage(
                    incoming.sopClassUid(), incoming.sopInstanceUid(), incoming.messageId(), status).getBytes(), null);
            return failure;
        });
        if (sinkFailure != null) {
            throw sinkFailure;
        }
    }

    /**
     * C-CANCEL, then reads on to the final response, refusing the instances still in flight, so the association can
     * serve the next operation.
     */
    void cancel() {
        if (outcome != null) {
            return;
        }
        association.exchange("C-CANCEL", () -> {
            association.send(getContextId, DimseCommands.cancel(messageId), null);
            return null;
        });
        if (pending != null) {
            discardPending();
        }
        while (next() != null) {
            discardPending();
        }
    }

    private void discardPending() {
        try {
            receive(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new IllegalStateException("a null sink cannot fail", e);
        }
    }

    /** The PACS did not accept the C-GET SOP class: with retrieve=auto, the gateway falls back to C-MOVE. */
    public static final class GetRefusedException extends org.dicomweb.gateway.error.PeerFailureException {
        GetRefusedException(String reason) {
            super(reason, null);
        }
    }
}
