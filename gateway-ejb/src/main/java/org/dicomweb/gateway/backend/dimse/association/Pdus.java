package org.dicomweb.gateway.backend.dimse.association;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** Byte order, texts and the association-phase PDU read shared by the PDU readers and writers (PS3.8 §9.3). */
public final class Pdus {

    public static final int A_ASSOCIATE_RQ = 0x01;
    public static final int A_ASSOCIATE_AC = 0x02;
    static final int A_ASSOCIATE_RJ = 0x03;
    static final int A_ABORT_TYPE = 0x07;
    /** A-ABORT from the service user (source 0, PS3.8 §9.3.8): what the gateway sends to end an association. */
    static final byte[] A_ABORT = {0x07, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    /**
     * The longest A-ASSOCIATE PDU read: one of 128 presentation contexts with long UIDs and many transfer syntaxes
     * each stays far below this; more is not a DICOM peer talking, and is not allocated.
     */
    static final int MAX_ASSOCIATE_LENGTH = 1 << 20;

    /** A PDU of the association phase: its type and its body (what follows the 6-byte header). */
    public record Pdu(int type, byte[] body) {
    }

    private Pdus() {
    }

    static int uint16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    static long uint32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16) | ((b[offset + 2] & 0xFFL) << 8)
                | (b[offset + 3] & 0xFFL);
    }

    /**
     * Reads one association-phase PDU whole. Its type must be one of {@code types} and its length at most
     * {@link #MAX_ASSOCIATE_LENGTH}, both checked before the body is read, so a wrong or lying header fails at once
     * (naming {@code due}, the PDU expected) and costs no allocation of its claimed size.
     */
    public static Pdu readAssociationPdu(InputStream in, String due, Set<Integer> types) throws IOException,
            MalformedPduException {
        byte[] header = in.readNBytes(6);
        if (header.length < 6) {
            throw new EOFException("connection closed where " + due + " was due");
        }
        int type = header[0] & 0xFF;
        long length = uint32(header, 2);
        if (!types.contains(type)) {
            throw new MalformedPduException("PDU type 0x" + Integer.toHexString(type) + " where " + due + " was due");
        }
        if (length > MAX_ASSOCIATE_LENGTH) {
            throw new MalformedPduException("PDU type 0x" + Integer.toHexString(type) + " of " + length
                    + " bytes, more than the " + MAX_ASSOCIATE_LENGTH + " accepted for " + due);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new EOFException("connection closed after " + body.length + " of the " + length + " bytes of PDU"
                    + " type 0x" + Integer.toHexString(type));
        }
        return new Pdu(type, body);
    }

    public static void putUint32(byte[] b, int offset, long value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    /** The body of an A-ABORT (PS3.8 §9.3.8, table 9-26): source in byte 2, reason in byte 3. */
    static String describeAbort(byte[] body) {
        int source = body.length > 2 ? body[2] & 0xFF : -1;
        int reason = body.length > 3 ? body[3] & 0xFF : -1;
        return "A-ABORT from the " + (source == 2 ? "service provider, reason " + reason : "service user")
                + " (source " + source + ", reason " + reason + ")";
    }
}
