package org.dicomweb.gateway.backend.dimse.association;

import com.pixelmed.network.DicomNetworkException;

/**
 * The peer broke the protocol: a PDU, item or command set whose type or lengths do not fit what PS3.8 §9.3 and
 * PS3.7 §E allow, or that exceeds what was negotiated. Unlike a rejection, an abort or a lost connection, it is
 * answered with an A-ABORT (PS3.8 §9.3.8) before the connection is closed; the message names what was wrong.
 */
public final class MalformedPduException extends DicomNetworkException {

    MalformedPduException(String reason) {
        super(reason);
    }
}
