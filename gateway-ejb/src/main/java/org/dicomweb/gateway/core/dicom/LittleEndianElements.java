package org.dicomweb.gateway.core.dicom;

import java.util.Set;

/**
 * What the gateway's own readers of Little Endian data sets share (PS3.5 §7.1): the integers of element headers and
 * values, and which VRs take a reserved field and a 32-bit length in Explicit VR.
 */
public final class LittleEndianElements {

    private static final Set<String> LONG_LENGTH_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    private LittleEndianElements() {
    }

    public static int uint16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    public static long uint32(byte[] bytes, int at) {
        return uint16(bytes, at) | (long) uint16(bytes, at + 2) << 16;
    }

    /** Explicit VR: whether the header is 12 bytes (2 reserved, a 32-bit length) rather than 8 (a 16-bit length). */
    static boolean hasLongLength(String vr) {
        return LONG_LENGTH_VRS.contains(vr);
    }
}
