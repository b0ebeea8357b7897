package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * JPEG Extended (Processes 2 and 4), 1.2.840.10008.1.2.4.51: monochrome frames of 8 or 12 bits, decoded by our own
 * {@link DctDecoder} (the JDK's decoder, and so TwelveMonkeys', refuses 12-bit precision). Decode only.
 */
public final class JpegExtendedCodec extends DecodeOnlyCodec {

    public static final String TRANSFER_SYNTAX = "1.2.840.10008.1.2.4.51";

    public JpegExtendedCodec() {
        super(TRANSFER_SYNTAX, "JPEG Extended", true);
    }

    /** Monochrome, unsigned, 8 bits in 8 or up to 12 bits in 16 (PS3.5 §8.2.1: 8 or 12 bits). */
    @Override
    public boolean canDecode(PixelDescription encoded) {
        return encoded.samplesPerPixel() == 1 && encoded.pixelRepresentation() == 0
                && (encoded.bitsAllocated() == 8 && encoded.bitsStored() == 8
                || encoded.bitsAllocated() == 16 && encoded.bitsStored() <= 12);
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        return NativeSamples.of(DctDecoder.decode(frame, encoded.columns(), encoded.rows()), encoded.bitsAllocated());
    }
}
