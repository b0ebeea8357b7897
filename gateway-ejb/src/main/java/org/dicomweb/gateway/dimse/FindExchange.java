package org.dicomweb.gateway.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CFindRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

import org.dicomweb.gateway.error.PeerFailureException;

/**
 * One Study Root C-FIND (PS3.4 C.4.1, PS3.7 §9.1.2) on a pooled association, read one response at a time so that
 * matches can be streamed on as they arrive, and cancellable with C-CANCEL. PixelMed's FindSOPClassSCU pushes every
 * response to a handler until the operation ends and cannot cancel, hence this class.
 */
final class FindExchange {

    static final String SOP_CLASS = SOPClass.StudyRootQueryRetrieveInformationModelFind;
    private static final int STATUS_CANCEL = 0xFE00;
    private static final int NO_DATA_SET = 0x0101;

    private final DimseAssociation association;
    private final byte contextId;
    private final String transferSyntax;
    private final int messageId;
    private final ResponseAssembler responses = new ResponseAssembler();
    private boolean finished;

    private FindExchange(DimseAssociation association, byte contextId, String transferSyntax, int messageId) {
        this.association = association;
        this.contextId = contextId;
        this.transferSyntax = transferSyntax;
        this.messageId = messageId;
    }

    /** Sends the C-FIND-RQ. */
    static FindExchange start(DimseAssociation association, AttributeList identifier) {
        return association.exchange("C-FIND", () -> {
            Association pixelmed = association.pixelmed();
            byte contextId = pixelmed.getSuitablePresentationContextID(SOP_CLASS);
            String transferSyntax = pixelmed.getTransferSyntaxForPresentationContextID(contextId);
            CFindRequestCommandMessage request = new CFindRequestCommandMessage(SOP_CLASS);
            FindExchange find = new FindExchange(association, contextId, transferSyntax, request.getMessageID());
            pixelmed.setReceivedDataHandler(find.responses);
            pixelmed.send(contextId, request.getBytes(), encode(identifier, transferSyntax));
            return find;
        });
    }

    /**
     * The next match, or null once the final response has arrived with Success, Cancel or a Warning. A Failure
     * status throws (the association stays usable: the PACS answered properly).
     */
    AttributeList next() {
        if (finished) {
            return null;
        }
        Response response = association.exchange("C-FIND", this::readResponse);
        if (response.isPending()) {
            return response.identifier;
        }
        finished = true;
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
    void cancel() {
        if (finished) {
            return;
        }
        association.exchange("C-CANCEL", () -> {
            association.pixelmed().send(contextId, cancelCommand(messageId), null);
            Response response;
            do {
                response = readResponse();
            } while (response.isPending());
            finished = true;
            return null;
        });
    }

    private Response readResponse() throws DicomNetworkException, com.pixelmed.network.AReleaseException,
            DicomException, IOException {
        responses.reset();
        Association pixelmed = association.pixelmed();
        while (!responses.commandComplete) {
            pixelmed.waitForOnePDataPDU();
        }
        AttributeList command = CompositeResponseHandler.getAttributeListFromCommandOrData(
                responses.command.toByteArray(), TransferSyntax.ImplicitVRLittleEndian);
        int status = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.Status, 0xFFFF);
        AttributeList identifier = null;
        if (Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET) {
            while (!responses.dataComplete) {
                pixelmed.waitForOnePDataPDU();
            }
            identifier = new AttributeList();
            identifier.read(new DicomInputStream(new ByteArrayInputStream(responses.data.toByteArray()),
                    transferSyntax, false));
        }
        return new Response(command, status, identifier);
    }

    private static byte[] encode(AttributeList identifier, String transferSyntax) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        identifier.write(new DicomOutputStream(bytes, null, transferSyntax));
        return bytes.toByteArray();
    }

    /**
     * C-CANCEL-RQ (PS3.7 §9.3.2.3): PixelMed has no command class for it. Implicit VR Little Endian, as every command:
     * Command Group Length, Command Field 0x0FFF, Message ID Being Responded To, Command Data Set Type "none".
     */
    static byte[] cancelCommand(int messageId) {
        ByteBuffer buffer = ByteBuffer.allocate(42).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) 0x0000).putShort((short) 0x0000).putInt(4).putInt(30);
        buffer.putShort((short) 0x0000).putShort((short) 0x0100).putInt(2).putShort((short) 0x0FFF);
        buffer.putShort((short) 0x0000).putShort((short) 0x0120).putInt(2).putShort((short) messageId);
        buffer.putShort((short) 0x0000).putShort((short) 0x0800).putInt(2).putShort((short) NO_DATA_SET);
        return buffer.array();
    }

    private record Response(AttributeList command, int status, AttributeList identifier) {
        /** Pending: 0xFF00, or 0xFF01 when some optional keys were not supported. */
        boolean isPending() {
            return status == 0xFF00 || status == 0xFF01;
        }
    }

    /**
     * Gathers the command and data fragments of one DIMSE message as PixelMed hands over each P-DATA PDU. It extends
     * CompositeResponseHandler only because ReceivedDataHandler's constructors are package-private; it replaces the
     * parent's handling entirely.
     */
    private static final class ResponseAssembler extends CompositeResponseHandler {
        private final ByteArrayOutputStream command = new ByteArrayOutputStream();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private boolean commandComplete;
        private boolean dataComplete;

        void reset() {
            command.reset();
            data.reset();
            commandComplete = false;
            dataComplete = false;
        }

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList command) {
            // not called: sendPDataIndication below does not delegate to the parent
        }

        @Override
        public void sendPDataIndication(PDataPDU pdu, Association association) {
            for (Object item : pdu.getPDVList()) {
                PresentationDataValue pdv = (PresentationDataValue) item;
                ByteArrayOutputStream target = pdv.isCommand() ? command : data;
                target.writeBytes(pdv.getValue());
                if (pdv.isLastFragment()) {
                    if (pdv.isCommand()) {
                        commandComplete = true;
                    } else {
                        dataComplete = true;
                    }
                }
            }
        }
    }
}
