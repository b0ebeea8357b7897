package org.dicomweb.gateway.it;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the value of a top-level element of a sample file (Explicit VR Little Endian, defined lengths, as
 * scripts/GenerateStudies.java writes them) by walking its elements, independently of the gateway's DICOM toolkit.
 */
final class SampleValues {

    /** VRs with a 2-byte reserved field and a 4-byte length (PS3.5 §7.1.2). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    private SampleValues() {
    }

    /** The value of the element with this tag (8 hex digits) in the data set, as stored. */
    static byte[] value(byte[] part10, String tagHex) {
        int wanted = Integer.parseUnsignedInt(tagHex, 16);
        ByteBuffer data = ByteBuffer.wrap(Multipart.dataSet(part10)).order(ByteOrder.LITTLE_ENDIAN);
        while (data.remaining() >= 8) {
            int tag = (data.getShort() & 0xFFFF) << 16 | (data.getShort() & 0xFFFF);
            String vr = new String(new byte[] {data.get(), data.get()}, StandardCharsets.US_ASCII);
            long length;
            if (LONG_VRS.contains(vr)) {
                data.getShort();
                length = data.getInt() & 0xFFFFFFFFL;
            } else {
                length = data.getShort() & 0xFFFF;
            }
            if (length == 0xFFFFFFFFL) {
                throw new AssertionError("sample element " + Integer.toHexString(tag) + " has an undefined length");
            }
            if (tag == wanted) {
                return Arrays.copyOfRange(data.array(), data.position(), data.position() + (int) length);
            }
            data.position(data.position() + (int) length);
        }
        throw new AssertionError("no element " + tagHex + " in the sample file");
    }
}
