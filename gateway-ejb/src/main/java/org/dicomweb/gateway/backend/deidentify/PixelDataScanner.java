package org.dicomweb.gateway.backend.deidentify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Finds, in a Part 10 instance fed as it arrives, where its data set reaches the pixel data: the first top-level
 * element of group 7FE0 or above, where PixelMed's readers stop too ({@code InstanceFile}). Only element headers are
 * read (values are skipped, sequences of undefined length walked item by item), so the caller need hold no more than
 * the header. File meta information is Explicit VR Little Endian (PS3.10 §7.1); the data set is in the transfer
 * syntax it names: Implicit VR LE, Explicit VR BE, or Explicit VR LE (every compressed syntax). A deflated data set
 * has no element to find.
 */
final class PixelDataScanner {

    /** {@link #scan}: more bytes needed. */
    static final long MORE = -1;
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
    static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int DATA_SET = 132;
    /** VRs whose length is 4 bytes after 2 reserved ones in explicit VR (PS3.5 §7.1.2). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    private long at = DATA_SET;
    private boolean meta = true;
    private boolean explicit = true;
    private boolean bigEndian;
    private int depth;
    private String transferSyntax;

    /** The data set's transfer syntax, once the file meta information is read (null before). */
    String transferSyntax() {
        return transferSyntax;
    }

    /**
     * Scans {@code bytes[0..length)}, the instance from its first byte (the same bytes as before, and more): the
     * offset of the pixel data's element, or {@link #MORE}. At the end of the instance, {@link #MORE} means it has
     * none.
     */
    long scan(byte[] bytes, int length) throws IOException {
        if (at == DATA_SET && length >= DATA_SET && !new String(bytes, 128, 4, StandardCharsets.US_ASCII)
                .equals("DICM")) {
            throw new IOException("not a DICOM Part 10 instance (no DICM after the preamble)");
        }
        while (true) {
            if (length < at + 8) {
                return MORE;
            }
            int offset = (int) at;
            if (meta && uint16(bytes, offset, false) != 0x0002) {
                startDataSet();
            }
            if (!meta && transferSyntax.equals(DEFLATED)) {
                return MORE;
            }
            boolean little = meta || !bigEndian;
            int group = uint16(bytes, offset, !little);
            int element = uint16(bytes, offset + 2, !little);
            if (group == 0xFFFE) { // item and delimiters: no VR in any syntax
                long itemLength = uint32(bytes, offset + 4, !little);
                if (element == 0xE000 && itemLength == UNDEFINED) {
                    depth++;
                    at += 8;
                } else if (element == 0xE00D || element == 0xE0DD) {
                    depth--;
                    at += 8;
                } else {
                    at += 8 + itemLength;
                }
                continue;
            }
            if (!meta && depth == 0 && group >= 0x7FE0) {
                return at;
            }
            long valueLength;
            int headerLength;
            String vr = null;
            if (meta || explicit) {
                if (length < at + 12) {
                    return MORE;
                }
                vr = new String(bytes, offset + 4, 2, StandardCharsets.US_ASCII);
                if (LONG_VRS.contains(vr)) {
                    valueLength = uint32(bytes, offset + 8, !little);
                    headerLength = 12;
                } else {
                    valueLength = uint16(bytes, offset + 6, !little);
                    headerLength = 8;
                }
            } else {
                valueLength = uint32(bytes, offset + 4, false);
                headerLength = 8;
            }
            if (valueLength == UNDEFINED) {
                if (vr != null && !vr.equals("SQ")) {
                    // UN of undefined length holds implicit VR items, which this scanner does not switch to
                    throw new IOException("element (" + hex(group) + "," + hex(element) + ") " + vr
                            + " of undefined length is not supported here");
                }
                depth++;
                at += headerLength;
                continue;
            }
            if (meta && group == 0x0002 && element == 0x0010) {
                if (length < at + headerLength + valueLength) {
                    return MORE;
                }
                transferSyntax = new String(bytes, offset + headerLength, (int) valueLength,
                        StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
            at += headerLength + valueLength;
        }
    }

    private void startDataSet() throws IOException {
        if (transferSyntax == null) {
            throw new IOException("the file meta information names no transfer syntax");
        }
        meta = false;
        explicit = !transferSyntax.equals(IMPLICIT_LE);
        bigEndian = transferSyntax.equals(EXPLICIT_BE);
    }

    private static int uint16(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF : b[at] & 0xFF | (b[at + 1] & 0xFF) << 8;
    }

    private static long uint32(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (long) uint16(b, at, true) << 16 | uint16(b, at + 2, true)
                : uint16(b, at, false) | (long) uint16(b, at + 2, false) << 16;
    }

    private static String hex(int value) {
        return String.format("%04X", value);
    }
}
