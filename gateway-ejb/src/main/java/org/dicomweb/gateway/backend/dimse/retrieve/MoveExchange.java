package org.dicomweb.gateway.backend.dimse.retrieve;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.CompositeResponseHandler;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.backend.dimse.scp.MoveRouter;

/**
 * One Study Root C-MOVE (PS3.4 C.4.2) on a query/retrieve association: the PACS sends the instances to the Move
 * Destination on associations of its own (the gateway's own Storage SCP, where {@link MoveRouter} hands them to the
 * waiting request, or another AE for a direct transfer); this side only reads the C-MOVE responses. The request carries
 * a message ID of the gateway's (see DimseCommands).
 */
public final class MoveExchange {

    static final String SOP_CLASS = SOPClass.StudyRootQueryRetrieveInformationModelMove;

    private final DimseAssociation association;
    private final DimseMessageReader reader;
    private final byte contextId;
    private final int messageId;

    private MoveExchange(DimseAssociation association, byte contextId, int messageId) {
        this.association = association;
        this.reader = association.reader();
        this.contextId = contextId;
        this.messageId = messageId;
    }

    public static MoveExchange start(DimseAssociation association, AttributeList identifier, String destination,
            int messageId) {
        return association.exchange("C-MOVE", () -> {
            association.operationBegins("C-MOVE");
            byte contextId = association.contextFor(SOP_CLASS);
            association.send(contextId, DimseCommands.moveRequest(SOP_CLASS, messageId, destination),
                    DimseCommands.encode(identifier, association.transferSyntaxOf(contextId)));
            return new MoveExchange(association, contextId, messageId);
        });
    }

    /** Reads the C-MOVE responses up to the final one. */
    RetrieveOutcome awaitOutcome() {
        RetrieveOutcome response = next();
        while (response.isPending()) {
            response = next();
        }
        return response;
    }

    /**
     * Waits for the next C-MOVE response (at most the AE's DIMSE timeout): a pending one with the counts so far, or
     * the final one, with its Failed SOP Instance UID List. Not to be called again after the final one.
     */
    public RetrieveOutcome next() {
        return association.exchange("C-MOVE", () -> {
            AttributeList command = reader.readCommand();
            RetrieveOutcome response = RetrieveOutcome.of(command);
            if (!response.isPending()) {
                association.operationEnds(response.status());
            }
            if (!DimseCommands.hasDataSet(command)) {
                return response;
            }
            byte[] data = reader.readData();
            // A pending response's identifier says nothing the counts do not; a final one's lists the failed instances.
            return response.isPending() ? response : RetrieveOutcome.of(command,
                    CompositeResponseHandler.getAttributeListFromCommandOrData(data,
                            association.transferSyntaxOf(reader.contextId())));
        });
    }

    /** Asks the PACS to stop (C-CANCEL); its final response then comes to {@link #next()}. */
    public void cancel() {
        association.exchange("C-CANCEL", () -> {
            association.send(contextId, DimseCommands.cancel(messageId), null);
            return null;
        });
    }
}
