package org.dicomweb.gateway.core.transcode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * RLE Lossless (PS3.5 Annex G), both ways. A frame is a 64-byte header (the number of segments, then the offset of
 * each) and one PackBits segment per byte of each sample, most significant byte first (G.2): a 16-bit monochrome
 * frame has two segments, an 8-bit RGB frame three. Native frames are colour-by-pixel (planar configuration 0) with
 * little-endian words, so decoding interleaves the segments and encoding splits them again.
 */
public final class RleCodec implements FrameCodec {

    public static final String TRANSFER_SYNTAX = "1.2.840.10008.1.2.5";
    private static final int HEADER = 64;
    private static final int MAX_SEGMENTS = 15;
    private static final int MAX_RUN = 128;

    @Override
    public String transferSyntax() {
        return TRANSFER_SYNTAX;
    }

    @Override
    public boolean canDecode(PixelDescription encoded) {
        return fits(encoded);
    }

    @Override
    public boolean canEncode(PixelDescription nativePixels) {
        return fits(nativePixels);
    }

    /** Whole bytes per sample and at most 15 segments (G.5); any photometric interpretation. */
    private static boolean fits(PixelDescription pixels) {
        return pixels.bitsAllocated() % 8 == 0 && pixels.bitsAllocated() > 0
                && pixels.samplesPerPixel() * pixels.bitsAllocated() / 8 <= MAX_SEGMENTS;
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        int bytesPerSample = encoded.bitsAllocated() / 8;
        int segments = encoded.samplesPerPixel() * bytesPerSample;
        int pixels = encoded.rows() * encoded.columns();
        if (frame.length < HEADER) {
            throw new IOException("RLE frame of " + frame.length + " bytes is shorter than its 64-byte header");
        }
        int count = int32(frame, 0);
        if (count != segments) {
            throw new IOException("RLE frame has " + count + " segments, " + encoded.samplesPerPixel()
                    + " samples of " + encoded.bitsAllocated() + " bits need " + segments);
        }
        byte[] out = new byte[(int) encoded.nativeFrameLength()];
        int stride = encoded.samplesPerPixel() * bytesPerSample;
        for (int s = 0; s < segments; s++) {
            int start = int32(frame, 4 + 4 * s);
            int end = s + 1 < segments ? int32(frame, 8 + 4 * s) : frame.length;
            if (start < HEADER || end > frame.length || start > end) {
                throw new IOException("RLE segment " + (s + 1) + " lies outside the frame (" + start + ".." + end
                        + " of " + frame.length + " bytes)");
            }
            int sample = s / bytesPerSample;
            // Segments run from the most significant byte; native words are little-endian.
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample;
            unpack(frame, start, end, out, sample * bytesPerSample + byteInSample, stride, pixels, s + 1);
        }
        return out;
    }

    /** PackBits (G.3.1) from frame[start, end) into every stride-th byte of out from first, pixels bytes in all. */
    private static void unpack(byte[] frame, int start, int end, byte[] out, int first, int stride, int pixels,
            int segment) throws IOException {
        int written = 0;
        int target = first;
        int at = start;
        while (written < pixels && at < end) {
            int n = frame[at++];
            if (n >= 0) {
                int literal = n + 1;
                if (at + literal > end || written + literal > pixels) {
                    throw new IOException("RLE segment " + segment + " has a literal run past its end");
                }
                for (int i = 0; i < literal; i++, target += stride) {
                    out[target] = frame[at++];
                }
                written += literal;
            } else if (n != -128) {
                int repeat = 1 - n;
                if (at >= end || written + repeat > pixels) {
                    throw new IOException("RLE segment " + segment + " has a replicate run past its end");
                }
                byte value = frame[at++];
                for (int i = 0; i < repeat; i++, target += stride) {
                    out[target] = value;
                }
                written += repeat;
            }
        }
        if (written < pixels) {
            throw new IOException("RLE segment " + segment + " holds " + written + " of " + pixels + " bytes");
        }
    }

    @Override
    public byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) throws IOException {
        int bytesPerSample = nativePixels.bitsAllocated() / 8;
        int segments = nativePixels.samplesPerPixel() * bytesPerSample;
        int pixels = nativePixels.rows() * nativePixels.columns();
        if (nativeFrame.length < nativePixels.nativeFrameLength()) {
            throw new IOException("native frame of " + nativeFrame.length + " bytes, "
                    + nativePixels.nativeFrameLength() + " expected");
        }
        boolean planes = nativePixels.planarConfiguration() == 1 && nativePixels.samplesPerPixel() > 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(nativeFrame.length / 2 + HEADER);
        out.write(new byte[HEADER]);
        byte[] header = new byte[HEADER];
        putInt32(header, 0, segments);
        byte[] segment = new byte[pixels];
        for (int s = 0; s < segments; s++) {
            putInt32(header, 4 + 4 * s, out.size());
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample;
            for (int p = 0; p < pixels; p++) {
                int index = planes ? (sample * pixels + p) * bytesPerSample
                        : (p * nativePixels.samplesPerPixel() + sample) * bytesPerSample;
                segment[p] = nativeFrame[index + byteInSample];
            }
            pack(segment, out);
            if (out.size() % 2 != 0) {
                out.write(0); // G.5: segments have even lengths; decoders stop at the pixel count, never reading it.
            }
        }
        byte[] frame = out.toByteArray();
        System.arraycopy(header, 0, frame, 0, HEADER);
        return frame;
    }

    /**
     * PackBits: replicate runs of three or more equal bytes, literal runs of the rest, each at most 128 long. A pair
     * stays inside a literal run: cutting the literal for it would cost two count bytes to save one.
     */
    private static void pack(byte[] data, ByteArrayOutputStream out) {
        int at = 0;
        while (at < data.length) {
            int run = 1;
            while (at + run < data.length && run < MAX_RUN && data[at + run] == data[at]) {
                run++;
            }
            if (run >= 3) {
                out.write(1 - run);
                out.write(data[at]);
                at += run;
                continue;
            }
            int literal = 1;
            while (at + literal < data.length && literal < MAX_RUN
                    && !startsRun(data, at + literal)) {
                literal++;
            }
            out.write(literal - 1);
            out.write(data, at, literal);
            at += literal;
        }
    }

    private static boolean startsRun(byte[] data, int at) {
        return at + 2 < data.length && data[at] == data[at + 1] && data[at] == data[at + 2];
    }

    @Override
    public PixelDescription decoded(PixelDescription encoded) {
        return encoded.withPhotometricInterpretation(encoded.photometricInterpretation(), 0);
    }

    @Override
    public PixelDescription encoded(PixelDescription nativePixels) {
        return nativePixels.withPhotometricInterpretation(nativePixels.photometricInterpretation(), 0);
    }

    @Override
    public boolean lossy() {
        return false;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static void putInt32(byte[] b, int at, int value) {
        b[at] = (byte) value;
        b[at + 1] = (byte) (value >>> 8);
        b[at + 2] = (byte) (value >>> 16);
        b[at + 3] = (byte) (value >>> 24);
    }
}
