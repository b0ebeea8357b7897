package org.dicomweb.gateway.core.transcode;

/**
 * What the codecs that only decode monochrome frames have in common, so that each keeps only what differs: which
 * descriptions it decodes, and how. The gateway encodes only into syntaxes every client decodes (RLE, JPEG Baseline:
 * {@link FrameCodecs}), so these refuse to encode; and one sample per pixel decodes to the description it had, no
 * photometric interpretation or planar configuration to change.
 */
abstract class DecodeOnlyCodec implements FrameCodec {

    private final String transferSyntax;
    private final String format;
    private final boolean lossy;

    /** {@code format} names the syntax in the message of {@link #encode}; {@code lossy} is {@link #lossy}'s answer. */
    DecodeOnlyCodec(String transferSyntax, String format, boolean lossy) {
        this.transferSyntax = transferSyntax;
        this.format = format;
        this.lossy = lossy;
    }

    /**
     * Monochrome, whole bytes, 2 to 16 bits stored; signed only when every allocated bit is stored: the decoders
     * return the stored bits, and nothing would sign-extend them. What JPEG lossless and JPEG-LS decode: both read any
     * precision from 2 to 16 bits.
     */
    static boolean monochromeUpTo16Bits(PixelDescription encoded) {
        return encoded.samplesPerPixel() == 1 && (encoded.bitsAllocated() == 8 || encoded.bitsAllocated() == 16)
                && encoded.bitsStored() >= 2 && encoded.bitsStored() <= encoded.bitsAllocated()
                && (encoded.pixelRepresentation() == 0 || encoded.bitsStored() == encoded.bitsAllocated());
    }

    @Override
    public final String transferSyntax() {
        return transferSyntax;
    }

    @Override
    public final boolean canEncode(PixelDescription nativePixels) {
        return false;
    }

    @Override
    public final byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) {
        throw new UnsupportedOperationException("the gateway does not encode " + format);
    }

    @Override
    public final PixelDescription decoded(PixelDescription encoded) {
        return encoded;
    }

    /** Never asked, {@link #canEncode} being false; the description unchanged, as {@link #decoded} gives it. */
    @Override
    public final PixelDescription encoded(PixelDescription nativePixels) {
        return nativePixels;
    }

    @Override
    public final boolean lossy() {
        return lossy;
    }
}
