package org.dicomweb.gateway.backend.dicomweb;

import java.nio.charset.StandardCharsets;

/**
 * The Transfer Syntax UID (0002,0010) of a Part 10 file, read from its file meta information at the start of a part
 * as the upstream's answer holds it (the part is not consumed): for parts an upstream labels {@code application/dicom}
 * without the transfer-syntax parameter, which the gateway's own answers always carry (PS3.18 §8.7.3.5.2).
 */
final class TransferSyntaxPeek {

    /** The meta information comes first and is small; beyond this the part is not looked at. */
    static final int LIMIT = 16 * 1024;

    private TransferSyntaxPeek() {
    }

    /** The UID in {@code head[offset, offset + length)}, a file's first bytes; null if they hold no such element. */
    static String of(byte[] head, int offset, int length) {
        int end = offset + length;
        if (length < 132 || head[offset + 128] != 'D' || head[offset + 129] != 'I' || head[offset + 130] != 'C'
                || head[offset + 131] != 'M') {
            return null;
        }
        int at = offset + 132;
        while (at + 8 <= end && u16(head, at) == 0x0002) {
            int element = u16(head, at + 2);
            String vr = new String(head, at + 4, 2, StandardCharsets.US_ASCII);
            boolean longLength = vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN")
                    || vr.equals("UT") || vr.equals("OF");
            int headerLength = longLength ? 12 : 8;
            if (at + headerLength > end) {
                return null;
            }
            long valueLength = longLength ? u32(head, at + 8) : u16(head, at + 6);
            int value = at + headerLength;
            if (value + valueLength > end) {
                return null;
            }
            if (element == 0x0010) {
                return new String(head, value, (int) valueLength, StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
            at = value + (int) valueLength;
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }
}
