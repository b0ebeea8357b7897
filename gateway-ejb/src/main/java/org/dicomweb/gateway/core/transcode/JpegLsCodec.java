package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * JPEG-LS lossless and near-lossless (ITU-T T.87 = ISO/IEC 14495-1) decoding of one-component frames, our own code:
 * no Java decoder was at hand (docs/architecture.md, "Codecs"). LOCO-I as the standard gives it: median edge
 * prediction, 365 regular contexts with bias correction, run mode with its two interruption contexts, limited-length
 * Golomb codes, the marker segments SOF55, LSE (preset parameters) and SOS. Not read: colour (interleaved scans),
 * restart markers, point transforms, mapping tables; such frames are refused.
 */
public final class JpegLsCodec implements FrameCodec {

    public static final String LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";

    private final String transferSyntax;

    public JpegLsCodec(String transferSyntax) {
        this.transferSyntax = transferSyntax;
    }

    @Override
    public String transferSyntax() {
        return transferSyntax;
    }

    /** Monochrome, 2 to 16 bits stored, unsigned or with every allocated bit stored. */
    @Override
    public boolean canDecode(PixelDescription encoded) {
        return encoded.samplesPerPixel() == 1 && (encoded.bitsAllocated() == 8 || encoded.bitsAllocated() == 16)
                && encoded.bitsStored() >= 2 && encoded.bitsStored() <= encoded.bitsAllocated()
                && (encoded.pixelRepresentation() == 0 || encoded.bitsStored() == encoded.bitsAllocated());
    }

    @Override
    public boolean canEncode(PixelDescription nativePixels) {
        return false;
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        return NativeSamples.of(JpegLsDecoder.decode(frame, encoded.columns(), encoded.rows()),
                encoded.bitsAllocated());
    }

    @Override
    public byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) {
        throw new UnsupportedOperationException("the gateway does not encode JPEG-LS");
    }

    @Override
    public PixelDescription decoded(PixelDescription encoded) {
        return encoded;
    }

    @Override
    public PixelDescription encoded(PixelDescription nativePixels) {
        return nativePixels;
    }

    @Override
    public boolean lossy() {
        return transferSyntax.equals(NEAR_LOSSLESS);
    }
}
