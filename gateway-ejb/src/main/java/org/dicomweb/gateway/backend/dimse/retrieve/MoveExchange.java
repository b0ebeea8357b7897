package org.dicomweb.gateway.backend.dimse.retrieve;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.backend.dimse.scp.MoveRouter;

/**
 * One Study Root C-MOVE (PS3.4 C.4.2) on a query/retrieve association: the PACS sends the instances to the gateway's
 * own Storage SCP on associations of its own, where {@link MoveRouter} hands them to the waiting request; this side
 * only reads the C-MOVE responses. The request carries a message ID of the gateway's (see DimseCommands).
 */
final class MoveExchange {

    static final String SOP_CLASS = SOPClass.StudyRootQueryRetrieveInformationModelMove;
    private static final int STATUS_PENDING = 0xFF00;

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

    static MoveExchange start(DimseAssociation association, AttributeList identifier, String destination,
            int messageId) {
        return association.exchange("C-MOVE", () -> {
            byte contextId = association.contextFor(SOP_CLASS);
            association.send(contextId, DimseCommands.moveRequest(SOP_CLASS, messageId, destination),
                    DimseCommands.encode(identifier, association.transferSyntaxOf(contextId)));
            return new MoveExchange(association, contextId, messageId);
        });
    }

    /** Reads the C-MOVE responses up to the final one. */
    RetrieveOutcome awaitOutcome() {
        return association.exchange("C-MOVE", () -> {
            while (true) {
                AttributeList command = reader.readCommand();
                if (DimseCommands.hasDataSet(command)) {
                    reader.readData(); // failed SOP instance list; the counts say enough
                }
                if (DimseCommands.status(command) != STATUS_PENDING) {
                    return RetrieveOutcome.of(command);
                }
            }
        });
    }

    /** Asks the PACS to stop (C-CANCEL); its final response then comes to {@link #awaitOutcome()}. */
    void cancel() {
        association.exchange("C-CANCEL", () -> {
            association.send(contextId, DimseCommands.cancel(messageId), null);
            return null;
        });
    }
}
