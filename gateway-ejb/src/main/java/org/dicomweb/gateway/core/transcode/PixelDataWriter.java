package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a Pixel Data element frame by frame: native with its length known up front (frames × frame length), or
 * encapsulated (PS3.5 §A.4) with an empty Basic Offset Table and one fragment per frame, each padded to even length.
 */
abstract sealed class PixelDataWriter {

    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    final OutputStream out;

    private PixelDataWriter(OutputStream out) {
        this.out = out;
    }

    /** The element header; a native value of {@code frames} frames of {@code pixels}' native frame length. */
    static PixelDataWriter nativeValue(OutputStream out, NativeSyntax syntax, PixelDescription pixels)
            throws IOException {
        boolean words = pixels.bitsAllocated() > 8;
        long length = pixels.nativeFrameLength() * pixels.numberOfFrames();
        if (length % 2 == 1) {
            length++; // values have even length (PS3.5 §7.1.1); one trailing pad byte
        }
        byte[] header = syntax.explicitVr() ? new byte[12] : new byte[8];
        putTag(header, PIXEL_DATA, syntax.bigEndian());
        if (syntax.explicitVr()) {
            header[4] = 'O';
            header[5] = (byte) (words ? 'W' : 'B');
            putUint32(header, 8, length, syntax.bigEndian());
        } else {
            putUint32(header, 4, length, false);
        }
        out.write(header);
        return new Native(out, syntax.bigEndian() && words, length);
    }

    static PixelDataWriter encapsulated(OutputStream out) throws IOException {
        byte[] header = new byte[12];
        putTag(header, PIXEL_DATA, false);
        header[4] = 'O';
        header[5] = 'B';
        putUint32(header, 8, UNDEFINED_LENGTH, false);
        out.write(header);
        writeItemHeader(out, ITEM, 0); // an empty Basic Offset Table, which PS3.5 §A.4 allows
        return new Encapsulated(out);
    }

    abstract void frame(byte[] frame) throws IOException;

    abstract void finish() throws IOException;

    private static final class Native extends PixelDataWriter {
        private final boolean swapWords;
        private final long length;
        private long written;

        Native(OutputStream out, boolean swapWords, long length) {
            super(out);
            this.swapWords = swapWords;
            this.length = length;
        }

        @Override
        void frame(byte[] frame) throws IOException {
            if (swapWords) {
                NativeFrames.swapWords(frame);
            }
            out.write(frame);
            written += frame.length;
        }

        @Override
        void finish() throws IOException {
            if (written == length - 1) {
                out.write(0);
                written++;
            }
            if (written != length) {
                throw new IOException("the frames came to " + written + " bytes of Pixel Data, not " + length);
            }
        }
    }

    private static final class Encapsulated extends PixelDataWriter {
        Encapsulated(OutputStream out) {
            super(out);
        }

        @Override
        void frame(byte[] frame) throws IOException {
            boolean odd = frame.length % 2 == 1;
            writeItemHeader(out, ITEM, frame.length + (odd ? 1 : 0));
            out.write(frame);
            if (odd) {
                out.write(0);
            }
        }

        @Override
        void finish() throws IOException {
            writeItemHeader(out, SEQUENCE_END, 0);
        }
    }

    private static void writeItemHeader(OutputStream out, int tag, long length) throws IOException {
        byte[] header = new byte[8];
        putTag(header, tag, false);
        putUint32(header, 4, length, false);
        out.write(header);
    }

    private static void putTag(byte[] header, int tag, boolean bigEndian) {
        putUint16(header, 0, tag >>> 16, bigEndian);
        putUint16(header, 2, tag & 0xFFFF, bigEndian);
    }

    private static void putUint16(byte[] bytes, int at, int value, boolean bigEndian) {
        bytes[at + (bigEndian ? 1 : 0)] = (byte) value;
        bytes[at + (bigEndian ? 0 : 1)] = (byte) (value >>> 8);
    }

    private static void putUint32(byte[] bytes, int at, long value, boolean bigEndian) {
        for (int i = 0; i < 4; i++) {
            bytes[at + (bigEndian ? 3 - i : i)] = (byte) (value >>> (8 * i));
        }
    }
}
