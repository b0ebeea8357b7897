package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * JPEG-LS lossless and near-lossless (ITU-T T.87 = ISO/IEC 14495-1) decoding of one-component frames, our own code:
 * no Java decoder was at hand (docs/architecture.md, "Codecs"). LOCO-I as the standard gives it: median edge
 * prediction, 365 regular contexts with bias correction, run mode with its two interruption contexts, limited-length
 * Golomb codes, the marker segments SOF55, LSE (preset parameters) and SOS. Not read: colour (interleaved scans),
 * restart markers, point transforms, mapping tables; such frames are refused.
 */
public final class JpegLsCodec extends DecodeOnlyCodec {

    public static final String LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";

    /** Near-lossless is lossy: a sample may differ from the original by the scan's NEAR bound. */
    public JpegLsCodec(String transferSyntax) {
        super(transferSyntax, "JPEG-LS", transferSyntax.equals(NEAR_LOSSLESS));
    }

    @Override
    public boolean canDecode(PixelDescription encoded) {
        return monochromeUpTo16Bits(encoded);
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        return NativeSamples.of(JpegLsDecoder.decode(frame, encoded.columns(), encoded.rows()),
                encoded.bitsAllocated());
    }
}
