package org.dicomweb.gateway.dimse;

/** Byte order and texts shared by the PDU readers and writers (PS3.8 §9.3: big endian lengths). */
final class Pdus {

    private Pdus() {
    }

    static int uint16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    static long uint32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16) | ((b[offset + 2] & 0xFFL) << 8)
                | (b[offset + 3] & 0xFFL);
    }

    static void putUint32(byte[] b, int offset, long value) {
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
