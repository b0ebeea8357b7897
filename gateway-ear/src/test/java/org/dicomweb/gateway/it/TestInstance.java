package org.dicomweb.gateway.it;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A Part 10 instance (Explicit VR Little Endian data set encoding) written element by element, so a test knows every
 * byte of its pixel data: native frames, or compressed fragments in an encapsulated Pixel Data. Elements are added in
 * ascending tag order.
 */
final class TestInstance {

    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "SQ", "UN", "UT");

    private final ByteArrayOutputStream dataSet = new ByteArrayOutputStream();

    /** A new UID under 2.25 (PS3.5 §B.2). */
    static String newUid() {
        UUID uuid = UUID.randomUUID();
        return "2.25." + new BigInteger(1, ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }

    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    /** A Secondary Capture instance of 2x2 8-bit pixels, as Part 10 in Explicit VR Little Endian. */
    static byte[] secondaryCapture(String study, String series, String sop, String patientName, String patientId) {
        return new TestInstance()
                .text(0x00080016, "UI", SECONDARY_CAPTURE)
                .text(0x00080018, "UI", sop)
                .text(0x00080060, "CS", "OT")
                .text(0x00100010, "PN", patientName)
                .text(0x00100020, "LO", patientId)
                .text(0x0020000D, "UI", study)
                .text(0x0020000E, "UI", series)
                .us(0x00280002, 1)
                .text(0x00280004, "CS", "MONOCHROME2")
                .us(0x00280010, 2)
                .us(0x00280011, 2)
                .us(0x00280100, 8)
                .us(0x00280101, 8)
                .us(0x00280102, 7)
                .us(0x00280103, 0)
                .element(0x7FE00010, "OB", new byte[] {1, 2, 3, 4})
                .part10(SECONDARY_CAPTURE, sop, EXPLICIT_LE);
    }

    TestInstance text(int tag, String vr, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + bytes.length % 2);
        if (bytes.length % 2 == 1) {
            padded[bytes.length] = (byte) (vr.equals("UI") ? 0 : ' ');
        }
        return element(tag, vr, padded);
    }

    TestInstance us(int tag, int value) {
        return element(tag, "US", new byte[] {(byte) value, (byte) (value >> 8)});
    }

    TestInstance element(int tag, String vr, byte[] value) {
        header(dataSet, tag, vr, value.length);
        dataSet.writeBytes(value);
        return this;
    }

    /**
     * Pixel Data (7FE0,0010) of undefined length: a Basic Offset Table with one offset per frame (or an empty one), then
     * the fragments of each frame, one item each (of even length, as PS3.5 §A.4 wants them).
     */
    TestInstance encapsulated(List<List<byte[]>> frames, boolean offsetTable) {
        header(dataSet, 0x7FE00010, "OB", 0xFFFFFFFF);
        ByteBuffer offsets = ByteBuffer.allocate(offsetTable ? 4 * frames.size() : 0).order(ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        for (List<byte[]> fragments : frames) {
            if (offsetTable) {
                offsets.putInt(offset);
            }
            offset += fragments.stream().mapToInt(f -> 8 + f.length).sum();
        }
        item(0xFFFEE000, offsets.array());
        frames.forEach(fragments -> fragments.forEach(fragment -> item(0xFFFEE000, fragment)));
        item(0xFFFEE0DD, new byte[0]);
        return this;
    }

    private void item(int tag, byte[] value) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) (tag >>> 16)).putShort((short) tag).putInt(value.length);
        dataSet.writeBytes(header.array());
        dataSet.writeBytes(value);
    }

    /** The whole file: preamble, File Meta Information, the data set. */
    byte[] part10(String sopClass, String sopInstance, String transferSyntax) {
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        header(meta, 0x00020001, "OB", 2);
        meta.writeBytes(new byte[] {0, 1});
        writeText(meta, 0x00020002, sopClass);
        writeText(meta, 0x00020003, sopInstance);
        writeText(meta, 0x00020010, transferSyntax);
        writeText(meta, 0x00020012, "1.2.826.0.1.3680043.2.1125.1");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        header(file, 0x00020000, "UL", 4);
        file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
        file.writeBytes(meta.toByteArray());
        file.writeBytes(dataSet.toByteArray());
        return file.toByteArray();
    }

    private static void writeText(ByteArrayOutputStream out, int tag, String uid) {
        byte[] value = new TestInstance().text(tag, "UI", uid).dataSet.toByteArray();
        out.writeBytes(value);
    }

    private static void header(ByteArrayOutputStream out, int tag, String vr, int length) {
        ByteBuffer header = ByteBuffer.allocate(LONG_VRS.contains(vr) ? 12 : 8).order(ByteOrder.LITTLE_ENDIAN);
        header.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (LONG_VRS.contains(vr)) {
            header.putShort((short) 0).putInt(length);
        } else {
            header.putShort((short) length);
        }
        out.writeBytes(header.array());
    }
}
