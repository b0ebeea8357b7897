package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * JPEG Lossless, Non-Hierarchical (Process 14), any predictor or only the first-order one (selection value 1): two
 * transfer syntaxes, one bitstream format. Decode only, monochrome, 2 to 16 bits, by TwelveMonkeys' SOF3 decoder
 * ({@link JpegImageIo}): it decodes dcmtk's output exactly, twice as fast as PixelMed's (docs/architecture.md,
 * "Codecs").
 */
public final class JpegLosslessCodec implements FrameCodec {

    public static final String PROCESS_14 = "1.2.840.10008.1.2.4.57";
    public static final String PROCESS_14_SV1 = "1.2.840.10008.1.2.4.70";

    private final String transferSyntax;

    public JpegLosslessCodec(String transferSyntax) {
        this.transferSyntax = transferSyntax;
    }

    @Override
    public String transferSyntax() {
        return transferSyntax;
    }

    /**
     * Monochrome, whole bytes; signed only when every allocated bit is stored: the decoder returns the stored bits,
     * and nothing would sign-extend them.
     */
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
        return JpegImageIo.nativeFrame(JpegImageIo.read(frame), encoded);
    }

    @Override
    public byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) {
        throw new UnsupportedOperationException("the gateway does not encode JPEG lossless");
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
        return false;
    }
}
