package org.dicomweb.gateway.backend.dimse.query;

import java.io.IOException;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.CFindRequestCommandMessage;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.core.dicom.IdentifierReader;
import org.dicomweb.gateway.error.PeerFailureException;

/**
 * One Study Root C-FIND (PS3.4 C.4.1, PS3.7 §9.1.2) on a pooled association, read one response at a time so that
 * matches can be streamed on as they arrive, and cancellable with C-CANCEL. PixelMed's FindSOPClassSCU pushes every
 * response to a handler until the operation ends and cannot cancel, hence this class.
 */
public final class FindExchange {

    public static final String SOP_CLASS = SOPClass.StudyRootQueryRetrieveInformationModelFind;
    private static final int STATUS_CANCEL = 0xFE00;

    private final DimseAssociation association;
    private final byte contextId;
    private final String transferSyntax;
    private final int messageId;
    private final DimseMessageReader reader;
    private boolean finished;

    private FindExchange(DimseAssociation association, byte contextId, String transferSyntax, int messageId) {
        this.association = association;
        this.contextId = contextId;
        this.transferSyntax = transferSyntax;
        this.messageId = messageId;
        this.reader = association.reader();
    }

    /** Sends the C-FIND-RQ. */
    public static FindExchange start(DimseAssociation association, AttributeList identifier) {
        return association.exchange("C-FIND", () -> {
            association.operationBegins("C-FIND");
            byte contextId = association.contextFor(SOP_CLASS);
            String transferSyntax = association.transferSyntaxOf(contextId);
            CFindRequestCommandMessage request = new CFindRequestCommandMessage(SOP_CLASS);
            FindExchange find = new FindExchange(association, contextId, transferSyntax, request.getMessageID());
            association.send(contextId, request.getBytes(), DimseCommands.encode(identifier, transferSyntax));
            return find;
        });
    }

    /**
     * Whether a C-FIND with a retrieval's identifier (its level and UIDs) finds anything: tells "nothing to retrieve"
     * from a PACS that fails a retrieval it could have made, where its status does not.
     */
    public static boolean findsAny(DimseAssociation association, AttributeList identifier) {
        FindExchange find = start(association, identifier);
        boolean found = find.next() != null;
        find.cancel();
        return found;
    }

    /**
     * The next match, or null once the final response has arrived with Success, Cancel or a Warning. A Failure
     * status throws (the association stays usable: the PACS answered properly).
     */
    public AttributeList next() {
        if (finished) {
            return null;
        }
        Response response = association.exchange("C-FIND", this::readResponse);
        if (response.isPending()) {
            return response.identifier;
        }
        finished = true;
        association.operationEnds(response.status);
        if (response.status == 0 || response.status == STATUS_CANCEL || (response.status & 0xF000) == 0xB000) {
            return null;
        }
        String comment = Attribute.getSingleStringValueOrEmptyString(response.command, TagFromName.ErrorComment);
        throw new PeerFailureException(association.ae().aet() + ": C-FIND failed with status 0x"
                + Integer.toHexString(response.status) + (comment.isEmpty() ? "" : " (" + comment.strip() + ")"), null);
    }

    /**
     * Sends C-CANCEL-RQ and reads the responses still in flight up to the final one, so the association can serve
     * the next operation.
     */
    public void cancel() {
        if (finished) {
            return;
        }
        association.exchange("C-CANCEL", () -> {
            association.send(contextId, DimseCommands.cancel(messageId), null);
            Response response;
            do {
                response = readResponse();
            } while (response.isPending());
            finished = true;
            association.operationEnds(response.status);
            return null;
        });
    }

    private Response readResponse() throws DicomNetworkException, com.pixelmed.network.AReleaseException,
            DicomException, IOException {
        AttributeList command = reader.readCommand();
        int status = DimseCommands.status(command);
        AttributeList identifier = null;
        if (DimseCommands.hasDataSet(command)) {
            identifier = IdentifierReader.read(reader.readData(), transferSyntax);
        }
        return new Response(command, status, identifier);
    }

    private record Response(AttributeList command, int status, AttributeList identifier) {
        /** Pending: 0xFF00, or 0xFF01 when some optional keys were not supported. */
        boolean isPending() {
            return status == 0xFF00 || status == 0xFF01;
        }
    }
}
