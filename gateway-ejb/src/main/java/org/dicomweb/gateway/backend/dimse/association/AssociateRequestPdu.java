package org.dicomweb.gateway.backend.dimse.association;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encodes an A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2) for a proposal. */
public final class AssociateRequestPdu {

    /** The DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    /** This gateway's Implementation Class UID (PS3.7 D.3.3.2), a UUID-derived UID (PS3.5 B.2). */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.141726756656250649680011295947360163442";
    static final String IMPLEMENTATION_VERSION = "DICOMWEB_GW_01";

    private AssociateRequestPdu() {
    }

    public static byte[] encode(String calledAet, String callingAet, int maxPduLength, AssociationProposal proposal) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        item(items, 0x10, ascii(APPLICATION_CONTEXT));
        for (AssociationProposal.Context context : proposal.contexts()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(context.id());
            body.writeBytes(new byte[3]);
            item(body, 0x30, ascii(context.abstractSyntax()));
            for (String transferSyntax : context.transferSyntaxes()) {
                item(body, 0x40, ascii(transferSyntax));
            }
            item(items, 0x20, body.toByteArray());
        }
        item(items, 0x50, userInformation(maxPduLength, proposal));

        ByteArrayOutputStream pdu = new ByteArrayOutputStream();
        pdu.write(0x01);
        pdu.write(0);
        uint32(pdu, 68 + items.size());
        uint16(pdu, 1); // protocol version 1
        uint16(pdu, 0);
        pdu.writeBytes(aeTitle(calledAet));
        pdu.writeBytes(aeTitle(callingAet));
        pdu.writeBytes(new byte[32]);
        pdu.writeBytes(items.toByteArray());
        return pdu.toByteArray();
    }

    /** PS3.8 D.1 (maximum length), PS3.7 D.3.3.2 (implementation), D.3.3.4 (roles), D.3.3.5 (extended negotiation). */
    private static byte[] userInformation(int maxPduLength, AssociationProposal proposal) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream length = new ByteArrayOutputStream();
        uint32(length, maxPduLength);
        item(body, 0x51, length.toByteArray());
        item(body, 0x52, ascii(IMPLEMENTATION_CLASS_UID));
        for (AssociationProposal.RoleSelection role : proposal.roles()) {
            ByteArrayOutputStream value = withUid(role.sopClassUid());
            value.write(role.scu() ? 1 : 0);
            value.write(role.scp() ? 1 : 0);
            item(body, 0x54, value.toByteArray());
        }
        item(body, 0x55, ascii(IMPLEMENTATION_VERSION));
        for (Map.Entry<String, byte[]> negotiation : proposal.extendedNegotiation().entrySet()) {
            ByteArrayOutputStream value = withUid(negotiation.getKey());
            value.writeBytes(negotiation.getValue());
            item(body, 0x56, value.toByteArray());
        }
        return body.toByteArray();
    }

    private static ByteArrayOutputStream withUid(String uid) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        byte[] bytes = ascii(uid);
        uint16(value, bytes.length);
        value.writeBytes(bytes);
        return value;
    }

    /** An item or sub-item: type, a reserved byte, a 2-byte length, the value. */
    private static void item(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(0);
        uint16(out, value.length);
        out.writeBytes(value);
    }

    /** AE titles take 16 bytes, padded with spaces (PS3.8 §9.3.2). */
    private static byte[] aeTitle(String aet) {
        byte[] padded = "                ".getBytes(StandardCharsets.US_ASCII);
        byte[] title = ascii(aet);
        System.arraycopy(title, 0, padded, 0, Math.min(16, title.length));
        return padded;
    }

    /** UIDs are not padded in PDU items (PS3.8 §9.3.2.2.1). */
    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void uint16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private static void uint32(ByteArrayOutputStream out, int value) {
        uint16(out, value >>> 16);
        uint16(out, value & 0xFFFF);
    }
}
