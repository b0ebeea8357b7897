package org.dicomweb.gateway.backend.dimse.scp;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Set;

import org.dicomweb.gateway.backend.dimse.association.MalformedPduException;
import org.dicomweb.gateway.backend.dimse.association.PduItems;
import org.dicomweb.gateway.backend.dimse.association.Pdus;
import org.dicomweb.gateway.backend.dimse.association.ReplayingSocket;

/**
 * What the Storage SCP checks of an A-ASSOCIATE-RQ (PS3.8 §9.3.2) before PixelMed parses it: the PDU type, a length
 * within {@link Pdus#MAX_ASSOCIATE_LENGTH}, a body that is all there, and items and sub-items that fit in what holds
 * them. PixelMed trusts all of these (it allocates by the PDU length and indexes by the item lengths).
 */
public final class AssociateRequestScreen {

    private AssociateRequestScreen() {
    }

    /** The accepted socket for PixelMed, its A-ASSOCIATE-RQ read and checked, to be read again from the start. */
    static Socket screen(Socket socket) throws IOException, MalformedPduException {
        InputStream in = socket.getInputStream();
        Pdus.Pdu request = Pdus.readAssociationPdu(in, "A-ASSOCIATE-RQ", Set.of(Pdus.A_ASSOCIATE_RQ));
        PduItems.check(request.body(), "A-ASSOCIATE-RQ");
        byte[] whole = new byte[6 + request.body().length];
        whole[0] = (byte) request.type();
        Pdus.putUint32(whole, 2, request.body().length);
        System.arraycopy(request.body(), 0, whole, 6, request.body().length);
        return new ReplayingSocket(socket, whole);
    }
}
