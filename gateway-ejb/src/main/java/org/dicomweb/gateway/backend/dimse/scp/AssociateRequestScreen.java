package org.dicomweb.gateway.backend.dimse.scp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.dicomweb.gateway.backend.dimse.association.MalformedPduException;
import org.dicomweb.gateway.backend.dimse.association.PduItems;
import org.dicomweb.gateway.backend.dimse.association.Pdus;
import org.dicomweb.gateway.backend.dimse.association.ReplayingSocket;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;

/**
 * What the Storage SCP checks of an A-ASSOCIATE-RQ (PS3.8 §9.3.2) before PixelMed parses it: the PDU type, a length
 * within {@link Pdus#MAX_ASSOCIATE_LENGTH}, a body that is all there, and items and sub-items that fit in what holds
 * them (PixelMed trusts all of these: it allocates by the PDU length and indexes by the item lengths); and a calling
 * AE title the gateway knows, which PixelMed would accept whatever it is.
 */
public final class AssociateRequestScreen {

    /** The calling AE title's place in the A-ASSOCIATE-RQ body (after protocol version, reserved, called AE). */
    private static final int CALLING_AET_OFFSET = 20;
    private static final int AE_TITLE_LENGTH = 16;
    /**
     * A-ASSOCIATE-RJ (PS3.8 §9.3.4): result 1 rejected-permanent, source 1 DICOM UL service-user, reason 3
     * calling-AE-title-not-recognized.
     */
    private static final byte[] REJECT_CALLING_AET = {0x03, 0, 0, 0, 0, 4, 0, 1, 1, 3};

    private AssociateRequestScreen() {
    }

    /**
     * The accepted socket for PixelMed, its A-ASSOCIATE-RQ read and checked, to be read again from the start. A calling
     * AE title that {@code accepted} does not know is answered with an A-ASSOCIATE-RJ here, and never reaches PixelMed.
     */
    static Socket screen(Socket socket, CallingAets accepted) throws IOException, MalformedPduException,
            UnknownCallingAeException {
        InputStream in = socket.getInputStream();
        Pdus.Pdu request = Pdus.readAssociationPdu(in, "A-ASSOCIATE-RQ", Set.of(Pdus.A_ASSOCIATE_RQ));
        PduItems.check(request.body(), "A-ASSOCIATE-RQ");
        String callingAet = new String(request.body(), CALLING_AET_OFFSET, AE_TITLE_LENGTH, StandardCharsets.US_ASCII)
                .strip();
        if (!accepted.accepts(callingAet)) {
            socket.getOutputStream().write(REJECT_CALLING_AET);
            throw new UnknownCallingAeException(callingAet);
        }
        byte[] whole = new byte[6 + request.body().length];
        whole[0] = (byte) request.type();
        Pdus.putUint32(whole, 2, request.body().length);
        System.arraycopy(request.body(), 0, whole, 6, request.body().length);
        return new ReplayingSocket(socket, whole);
    }
}
