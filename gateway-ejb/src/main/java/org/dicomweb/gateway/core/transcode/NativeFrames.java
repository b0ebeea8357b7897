package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.io.InputStream;

/** The frames of a native Pixel Data value, as Explicit VR Little Endian lays them out (Big Endian words swapped). */
final class NativeFrames implements FrameSource {

    private final InputStream in;
    private final int frameLength;
    private final boolean swapWords;
    private int left;

    NativeFrames(InputStream in, PixelDescription pixels, long valueLength, boolean swapWords) throws IOException {
        long frameLength = pixels.nativeFrameLength();
        if (pixels.bitsAllocated() % 8 != 0 || frameLength <= 0 || frameLength > Integer.MAX_VALUE - 8
                || valueLength < frameLength * pixels.numberOfFrames()) {
            throw new IOException("its Pixel Data (" + valueLength + " bytes) does not hold " + pixels.numberOfFrames()
                    + " frames of " + pixels.rows() + "x" + pixels.columns() + "x" + pixels.samplesPerPixel() + " at "
                    + pixels.bitsAllocated() + " bits");
        }
        this.in = in;
        this.frameLength = (int) frameLength;
        this.swapWords = swapWords;
        this.left = pixels.numberOfFrames();
    }

    @Override
    public byte[] next() throws IOException {
        if (left == 0) {
            return null;
        }
        left--;
        byte[] frame = in.readNBytes(frameLength);
        if (frame.length < frameLength) {
            throw new IOException("the file ends in the Pixel Data");
        }
        if (swapWords) {
            swapWords(frame);
        }
        return frame;
    }

    /** 16-bit words between Big and Little Endian (OW, PS3.5 §7.3). */
    static void swapWords(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i += 2) {
            byte b = bytes[i];
            bytes[i] = bytes[i + 1];
            bytes[i + 1] = b;
        }
    }
}
