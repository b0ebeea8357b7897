package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * JPEG Lossless, Non-Hierarchical (Process 14), any predictor or only the first-order one (selection value 1): two
 * transfer syntaxes, one bitstream format. Decode only, monochrome, 2 to 16 bits, by TwelveMonkeys' SOF3 decoder
 * ({@link JpegImageIo}): it decodes dcmtk's output exactly, twice as fast as PixelMed's (docs/architecture.md,
 * "Codecs").
 */
public final class JpegLosslessCodec extends DecodeOnlyCodec {

    public static final String PROCESS_14 = "1.2.840.10008.1.2.4.57";
    public static final String PROCESS_14_SV1 = "1.2.840.10008.1.2.4.70";

    public JpegLosslessCodec(String transferSyntax) {
        super(transferSyntax, "JPEG lossless", false);
    }

    @Override
    public boolean canDecode(PixelDescription encoded) {
        return monochromeUpTo16Bits(encoded);
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        return JpegImageIo.nativeFrame(JpegImageIo.read(frame), encoded);
    }
}
