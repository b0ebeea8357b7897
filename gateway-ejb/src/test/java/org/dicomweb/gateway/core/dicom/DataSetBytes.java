package org.dicomweb.gateway.core.dicom;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Set;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TransferSyntax;

/**
 * Encodes a data set by hand in Explicit VR Little Endian (PS3.5 §7.1.2), or Implicit, so that the tests decide
 * every byte, in particular the character set of the string values.
 */
public final class DataSetBytes {

    /** The VRs with a reserved field and a 32-bit length (PS3.5 Table 7.1-1). */
    private static final Set<String> LONG_VRS =
            Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean explicitVr;

    /** Explicit VR Little Endian. */
    public DataSetBytes() {
        this(true);
    }

    private DataSetBytes(boolean explicitVr) {
        this.explicitVr = explicitVr;
    }

    /** Implicit VR Little Endian (PS3.5 §7.1.3): no VR in the stream, every length 32 bits. */
    public static DataSetBytes implicitVr() {
        return new DataSetBytes(false);
    }

    public DataSetBytes text(int tag, String vr, String value) {
        return text(tag, vr, value, US_ASCII);
    }

    public DataSetBytes text(int tag, String vr, String value, Charset charset) {
        byte[] bytes = value.getBytes(charset);
        if (bytes.length % 2 != 0) {
            bytes = (value + " ").getBytes(charset);
        }
        return element(tag, vr, bytes);
    }

    public DataSetBytes element(int tag, String vr, ByteBuffer value) {
        return element(tag, vr, value.array());
    }

    public DataSetBytes element(int tag, String vr, byte[] value) {
        header(tag, vr);
        if (!explicitVr || LONG_VRS.contains(vr)) {
            out.writeBytes(le(4).putInt(value.length).array());
        } else {
            out.writeBytes(le(2).putShort((short) value.length).array());
        }
        out.writeBytes(value);
        return this;
    }

    public DataSetBytes undefinedLength(AttributeTag tag, String vr, byte[] content) {
        header(tag.getGroup() << 16 | tag.getElement(), vr);
        out.writeBytes(le(4).putInt(-1).array());
        out.writeBytes(content);
        return this;
    }

    public DataSetBytes sequence(int tag, DataSetBytes... items) {
        DataSetBytes content = new DataSetBytes(explicitVr);
        for (DataSetBytes item : items) {
            content.item(item.toByteArray());
        }
        return element(tag, "SQ", content.toByteArray());
    }

    public DataSetBytes item(byte[] content) {
        out.writeBytes(le(8).putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(content.length).array());
        out.writeBytes(content);
        return this;
    }

    public DataSetBytes sequenceDelimiter() {
        out.writeBytes(le(8).putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0).array());
        return this;
    }

    private void header(int tag, String vr) {
        out.writeBytes(le(4).putShort((short) (tag >>> 16)).putShort((short) tag).array());
        if (explicitVr) {
            out.writeBytes(vr.getBytes(US_ASCII));
            if (LONG_VRS.contains(vr)) {
                out.writeBytes(new byte[2]);
            }
        }
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public AttributeList read() throws Exception {
        return read(TransferSyntax.ExplicitVRLittleEndian, true);
    }

    public AttributeList read(String transferSyntax, boolean decompressPixelData) throws Exception {
        return read(toByteArray(), transferSyntax, decompressPixelData);
    }

    /** What PixelMed reads from {@code dataSet}. */
    public static AttributeList read(byte[] dataSet, String transferSyntax, boolean decompressPixelData) throws Exception {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(decompressPixelData);
        list.read(new DicomInputStream(new ByteArrayInputStream(dataSet), transferSyntax, false));
        return list;
    }

    public static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
