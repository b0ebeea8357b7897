package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Transfer Syntax UID (0002,0010) of a Part 10 stream, read from its file meta information without consuming it
 * (mark/reset): for parts an upstream labels {@code application/dicom} without the transfer-syntax parameter, which
 * the gateway's own answers always carry (PS3.18 §8.7.3.5.2).
 */
final class TransferSyntaxPeek {

    /** The meta information comes first and is small; beyond this the part is not read ahead. */
    private static final int LIMIT = 16 * 1024;

    private TransferSyntaxPeek() {
    }

    /** {@code in} must support mark; null if the part has no readable meta information with the UID. */
    static String of(InputStream in) throws IOException {
        in.mark(LIMIT);
        try {
            byte[] head = in.readNBytes(LIMIT);
            if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
                return null;
            }
            int at = 132;
            while (at + 8 <= head.length && u16(head, at) == 0x0002) {
                int element = u16(head, at + 2);
                String vr = new String(head, at + 4, 2, StandardCharsets.US_ASCII);
                boolean longLength = vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN")
                        || vr.equals("UT") || vr.equals("OF");
                int headerLength = longLength ? 12 : 8;
                if (at + headerLength > head.length) {
                    return null;
                }
                long length = longLength ? u32(head, at + 8) : u16(head, at + 6);
                int value = at + headerLength;
                if (value + length > head.length) {
                    return null;
                }
                if (element == 0x0010) {
                    return new String(head, value, (int) length, StandardCharsets.US_ASCII).replace("\0", "").trim();
                }
                at = value + (int) length;
            }
            return null;
        } finally {
            in.reset();
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }
}
