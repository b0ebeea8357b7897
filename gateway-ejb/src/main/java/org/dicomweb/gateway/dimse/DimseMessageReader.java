package org.dicomweb.gateway.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

/**
 * Reads DIMSE messages one at a time from an association (PixelMed hands over one P-DATA PDU per wait): the command
 * whole, then the data set either whole or streamed into a sink fragment by fragment as it arrives, so an instance
 * of any size passes through without being held in memory. It extends CompositeResponseHandler only because
 * ReceivedDataHandler's constructors are package-private; the parent's handling is replaced entirely.
 */
final class DimseMessageReader extends CompositeResponseHandler {

    private final Association association;
    private final ByteArrayOutputStream command = new ByteArrayOutputStream();
    /** Data fragments that arrived in the same PDU as the command, before the caller chose where data goes. */
    private final ByteArrayOutputStream early = new ByteArrayOutputStream();
    private OutputStream sink;
    private IOException sinkFailure;
    private byte contextId;
    private boolean commandComplete;
    private boolean dataComplete;

    DimseMessageReader(Association association) {
        this.association = association;
    }

    /** Waits for the next message's command. */
    AttributeList readCommand() throws DicomNetworkException, AReleaseException, DicomException, IOException {
        command.reset();
        early.reset();
        sink = null;
        sinkFailure = null;
        commandComplete = false;
        dataComplete = false;
        association.setReceivedDataHandler(this);
        while (!commandComplete) {
            association.waitForOnePDataPDU();
        }
        return CompositeResponseHandler.getAttributeListFromCommandOrData(command.toByteArray(),
                TransferSyntax.ImplicitVRLittleEndian);
    }

    /** The presentation context the last command came on: answers go back on it. */
    byte contextId() {
        return contextId;
    }

    /** The current message's data set, whole. */
    byte[] readData() throws DicomNetworkException, AReleaseException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        streamData(data);
        return data.toByteArray();
    }

    /**
     * Streams the current message's data set into {@code target}. If the target fails, the rest of the data set is
     * still read (and dropped) so the association stays in step; {@link #sinkFailure()} then says why.
     */
    void streamData(OutputStream target) throws DicomNetworkException, AReleaseException {
        sink = target;
        write(early.toByteArray());
        while (!dataComplete) {
            association.waitForOnePDataPDU();
        }
    }

    /** The target's failure during the last {@link #streamData}, or null. */
    IOException sinkFailure() {
        return sinkFailure;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdu, Association from) {
        for (Object item : pdu.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) item;
            if (pdv.isCommand()) {
                contextId = pdv.getPresentationContextID();
                command.writeBytes(pdv.getValue());
                commandComplete |= pdv.isLastFragment();
            } else {
                if (sink == null) {
                    early.writeBytes(pdv.getValue());
                } else {
                    write(pdv.getValue());
                }
                dataComplete |= pdv.isLastFragment();
            }
        }
    }

    private void write(byte[] bytes) {
        if (sinkFailure == null && bytes.length > 0) {
            try {
                sink.write(bytes);
            } catch (IOException e) {
                sinkFailure = e;
            }
        }
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // not called: sendPDataIndication does not delegate to the parent
    }
}
