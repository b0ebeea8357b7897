package org.dicomweb.gateway.core.dicom;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;

/**
 * Re-encodes a data set between Implicit and Explicit VR Little Endian as it streams through, element by element:
 * values pass unchanged, only headers are rewritten, so an instance of any size converts without being held. VRs for
 * the implicit side come from PixelMed's dictionary (UN where it has none, as PS3.5 §6.2.2 allows). Sequences and
 * items of defined length change size when their headers do, so they are written with undefined length and closed
 * with delimitation items. PixelMed converts only whole data sets in memory, hence this class.
 */
public final class ImplicitExplicitConverter extends OutputStream {

    static final String IMPLICIT = "1.2.840.10008.1.2";
    static final String EXPLICIT = "1.2.840.10008.1.2.1";

    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** VRs whose explicit header has a reserved field and a 32-bit length (PS3.5 §7.1.2). */

    private final OutputStream out;
    private final boolean fromExplicit;
    private final byte[] header = new byte[12];
    private int headerFill;
    private long valueLeft;
    /** Source bytes left in each enclosing sequence or item of defined length, innermost first. */
    private final Deque<Container> containers = new ArrayDeque<>();

    private static final class Container {
        final boolean item;
        long left;

        Container(boolean item, long left) {
            this.item = item;
            this.left = left;
        }
    }

    /** Whether a stream in {@code from} can be converted to {@code to} by this class. */
    public static boolean converts(String from, String to) {
        return !from.equals(to) && Set.of(IMPLICIT, EXPLICIT).containsAll(Set.of(from, to));
    }

    public ImplicitExplicitConverter(OutputStream out, String fromTransferSyntax) {
        this.out = out;
        this.fromExplicit = EXPLICIT.equals(fromTransferSyntax);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            if (valueLeft > 0) {
                n = (int) Math.min(len, valueLeft);
                out.write(b, off, n);
                valueLeft -= n;
                consumed(n);
                if (valueLeft == 0) {
                    closeFinishedContainers();
                }
            } else {
                n = Math.min(len, headerLength() - headerFill);
                System.arraycopy(b, off, header, headerFill, n);
                headerFill += n;
                consumed(n);
                if (headerFill == headerLength()) {
                    convertHeader();
                }
            }
            off += n;
            len -= n;
        }
    }

    /** Checks that the data set ended between elements. The target stream is left open. */
    public void finish() throws IOException {
        if (headerFill > 0 || valueLeft > 0 || !containers.isEmpty()) {
            throw new IOException("the data set ended in the middle of an element");
        }
    }

    /** 8 bytes, or 12 for an explicit long-VR header once its VR is known. */
    private int headerLength() {
        if (headerFill < 8 || !fromExplicit || tag() >>> 16 == 0xFFFE) {
            return 8;
        }
        return LittleEndianElements.hasLongLength(sourceVr()) ? 12 : 8;
    }

    private void convertHeader() throws IOException {
        int tag = tag();
        headerFill = 0;
        if (tag >>> 16 == 0xFFFE) {
            long length = uint32(4);
            if (tag == ITEM && length != UNDEFINED) {
                writeTagAndLength(tag, UNDEFINED);
                containers.push(new Container(true, length));
            } else {
                out.write(header, 0, 8);
            }
            closeFinishedContainers();
            return;
        }
        String vr = fromExplicit ? sourceVr() : dictionaryVr(tag);
        long length = fromExplicit ? (LittleEndianElements.hasLongLength(vr) ? uint32(8) : uint16(6)) : uint32(4);
        if (length == UNDEFINED && !"SQ".equals(vr)) {
            if (fromExplicit) {
                // UN or OB/OW of undefined length: implicit-encoded content or encapsulated pixel data.
                throw new IOException("element " + Integer.toHexString(tag) + " (" + vr + ") of undefined length"
                        + " cannot be converted");
            }
            vr = "SQ"; // implicit VR: undefined length means a sequence (PS3.5 §7.5.1)
        }
        if ("SQ".equals(vr)) {
            writeHeader(tag, vr, UNDEFINED);
            if (length != UNDEFINED) {
                containers.push(new Container(false, length));
            }
            closeFinishedContainers();
            return;
        }
        if (!fromExplicit && !LittleEndianElements.hasLongLength(vr) && length > 0xFFFF) {
            vr = "UN"; // too long for a 16-bit length: UN keeps the bytes (PS3.5 §6.2.2)
        }
        writeHeader(tag, vr, length);
        valueLeft = length;
        if (length == 0) {
            closeFinishedContainers();
        }
    }

    private void writeHeader(int tag, String vr, long length) throws IOException {
        if (fromExplicit) {
            writeTagAndLength(tag, length);
            return;
        }
        byte[] h = new byte[12];
        putTag(h, tag);
        h[4] = (byte) vr.charAt(0);
        h[5] = (byte) vr.charAt(1);
        if (LittleEndianElements.hasLongLength(vr)) {
            putUint32(h, 8, length);
            out.write(h, 0, 12);
        } else {
            h[6] = (byte) length;
            h[7] = (byte) (length >>> 8);
            out.write(h, 0, 8);
        }
    }

    private void writeTagAndLength(int tag, long length) throws IOException {
        byte[] h = new byte[8];
        putTag(h, tag);
        putUint32(h, 4, length);
        out.write(h);
    }

    private void closeFinishedContainers() throws IOException {
        while (!containers.isEmpty() && containers.peek().left == 0) {
            writeTagAndLength(containers.pop().item ? ITEM_END : SEQUENCE_END, 0);
        }
    }

    private void consumed(int n) {
        for (Container container : containers) {
            container.left -= n;
        }
    }

    private int tag() {
        return (uint16(0) << 16) | uint16(2);
    }

    private String sourceVr() {
        return new String(new char[] {(char) header[4], (char) header[5]});
    }

    /** The VR the implicit stream leaves out: group lengths UL, private creators LO, else the dictionary's. */
    private static String dictionaryVr(int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        if (element == 0) {
            return "UL";
        }
        if ((group & 1) == 1) {
            return element >= 0x10 && element <= 0xFF ? "LO" : "UN";
        }
        byte[] vr = DicomDictionary.StandardDictionary.getValueRepresentationFromTag(new AttributeTag(group, element));
        if (vr == null) {
            return "UN";
        }
        String name = new String(new char[] {(char) vr[0], (char) vr[1]});
        return switch (name) {
            case "XS" -> "US"; // US or SS: the same bytes, and the 16-bit length either way
            case "OX", "XO" -> "OW"; // OB or OW, US or OW: OW holds any of them
            default -> name;
        };
    }

    private int uint16(int offset) {
        return LittleEndianElements.uint16(header, offset);
    }

    private long uint32(int offset) {
        return LittleEndianElements.uint32(header, offset);
    }

    private static void putTag(byte[] h, int tag) {
        h[0] = (byte) (tag >>> 16);
        h[1] = (byte) (tag >>> 24);
        h[2] = (byte) tag;
        h[3] = (byte) (tag >>> 8);
    }

    private static void putUint32(byte[] h, int offset, long value) {
        h[offset] = (byte) value;
        h[offset + 1] = (byte) (value >>> 8);
        h[offset + 2] = (byte) (value >>> 16);
        h[offset + 3] = (byte) (value >>> 24);
    }
}
