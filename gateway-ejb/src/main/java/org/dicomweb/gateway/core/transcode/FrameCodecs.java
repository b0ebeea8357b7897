package org.dicomweb.gateway.core.transcode;

import java.util.List;
import java.util.Optional;

/**
 * The codecs the gateway has, by transfer syntax: what the transcoder, the frame retrieval and the renderer ask
 * before they convert, so that what cannot be converted is a 406 naming what can.
 */
public final class FrameCodecs {

    private static final RleCodec RLE = new RleCodec();
    private static final JpegBaselineCodec JPEG_BASELINE = new JpegBaselineCodec();

    private static final List<FrameCodec> CODECS = List.of(RLE, JPEG_BASELINE, new JpegExtendedCodec(),
            new JpegLosslessCodec(JpegLosslessCodec.PROCESS_14),
            new JpegLosslessCodec(JpegLosslessCodec.PROCESS_14_SV1),
            new JpegLsCodec(JpegLsCodec.LOSSLESS), new JpegLsCodec(JpegLsCodec.NEAR_LOSSLESS));

    /** Those whose {@link FrameCodec#encode} works for some native frames; the others only decode. */
    private static final List<FrameCodec> ENCODERS = List.of(RLE, JPEG_BASELINE);

    private FrameCodecs() {
    }

    /** The codec of a compressed transfer syntax, if the gateway has one. */
    public static Optional<FrameCodec> forTransferSyntax(String transferSyntaxUid) {
        return CODECS.stream().filter(codec -> codec.transferSyntax().equals(transferSyntaxUid)).findFirst();
    }

    /** The compressed transfer syntaxes whose frames some codec decodes. */
    public static List<String> decodable() {
        return CODECS.stream().map(FrameCodec::transferSyntax).toList();
    }

    /** The compressed transfer syntaxes some codec encodes native frames into ({@link FrameCodec#canEncode}: which). */
    public static List<String> encodable() {
        return ENCODERS.stream().map(FrameCodec::transferSyntax).toList();
    }
}
