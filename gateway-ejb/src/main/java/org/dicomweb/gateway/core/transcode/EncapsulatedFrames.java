package org.dicomweb.gateway.core.transcode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import org.dicomweb.gateway.core.dicom.LittleEndianElements;

/**
 * The frames of an encapsulated Pixel Data value (PS3.5 §A.4): the Basic Offset Table item is skipped, and the
 * fragments are grouped into frames as they arrive. A single-frame instance's fragments are all one frame; in a
 * multi-frame JPEG, JPEG-LS or JPEG 2000 instance a fragment that opens with the bitstream's start marker starts a
 * frame (so neither an empty offset table nor frames split over fragments need the whole value); in any other
 * syntax (RLE) each fragment is a frame, as PS3.5 §A.4.2 requires.
 */
final class EncapsulatedFrames implements FrameSource {

    private static final int ITEM = 0xFFFEE000;
    private static final int SEQUENCE_END = 0xFFFEE0DD;

    private final InputStream in;
    private final boolean singleFrame;
    private final boolean markerStartsFrame;
    private byte[] pending;
    private boolean ended;

    EncapsulatedFrames(InputStream in, String transferSyntax, int numberOfFrames) throws IOException {
        this.in = in;
        this.singleFrame = numberOfFrames <= 1;
        this.markerStartsFrame = transferSyntax.startsWith("1.2.840.10008.1.2.4.");
        if (nextFragment() == null) {
            throw new IOException("its encapsulated Pixel Data has no Basic Offset Table item");
        }
        pending = nextFragment();
    }

    @Override
    public byte[] next() throws IOException {
        if (pending == null) {
            return null;
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(pending.length);
        frame.writeBytes(pending);
        pending = nextFragment();
        while (pending != null && (singleFrame || markerStartsFrame && !startsFrame(pending))) {
            frame.writeBytes(pending);
            pending = nextFragment();
        }
        return frame.toByteArray();
    }

    /** JPEG and JPEG-LS open with SOI (FFD8), a JPEG 2000 codestream with SOC (FF4F), a JP2 file with its box. */
    private static boolean startsFrame(byte[] fragment) {
        return fragment.length >= 2 && (fragment[0] & 0xFF) == 0xFF
                && ((fragment[1] & 0xFF) == 0xD8 || (fragment[1] & 0xFF) == 0x4F)
                || fragment.length >= 8 && fragment[4] == 'j' && fragment[5] == 'P';
    }

    /** The next item's value, null at the sequence delimiter. */
    private byte[] nextFragment() throws IOException {
        if (ended) {
            return null;
        }
        byte[] header = in.readNBytes(8);
        if (header.length < 8) {
            throw new IOException("the file ends in the encapsulated Pixel Data");
        }
        int tag = LittleEndianElements.uint16(header, 0) << 16 | LittleEndianElements.uint16(header, 2);
        long length = LittleEndianElements.uint32(header, 4);
        if (tag == SEQUENCE_END) {
            ended = true;
            return null;
        }
        if (tag != ITEM || length > Integer.MAX_VALUE - 8) {
            throw new IOException("its encapsulated Pixel Data has an element " + Integer.toHexString(tag)
                    + " of length " + length + " where an item was expected");
        }
        byte[] value = in.readNBytes((int) length);
        if (value.length < length) {
            throw new IOException("the file ends in a Pixel Data fragment");
        }
        return value;
    }
}
