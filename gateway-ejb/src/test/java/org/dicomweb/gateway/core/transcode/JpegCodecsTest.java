package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JPEG codecs on scripts/codec-samples.sh's files against dcmtk's dcmdjpeg: lossless decoding byte-identical,
 * lossy decoding within a maximum absolute error of 2 (measured 0 for the JDK's, IJG's integer DCT as dcmtk's; 1 for
 * our floating-point 12-bit one), and our baseline
 * encoding, decoded by dcmdjpeg, as close to the original as dcmcjpeg's at the same quality.
 */
class JpegCodecsTest {

    /**
     * Lossy decoders may round an IDCT differently: the JDK's matches dcmtk's exactly here, our floating-point one
     * (12-bit) is within 1.
     */
    private static final int DECODE_TOLERANCE = 2;

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"jpeg-lossless", "jpeg-lossless-14"})
    void decodesLosslessLikeDcmdjpeg(String name) throws Exception {
        Path sample = CodecFixtures.sample(name);
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        FrameCodec codec = FrameCodecs.forTransferSyntax(compressed.transferSyntax()).orElseThrow();
        assertTrue(codec.canDecode(compressed.pixels()));
        assertFalse(codec.lossy());
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(sample, work));
        assertArrayEquals(reference.frames().get(0), codec.decode(compressed.frames().get(0), compressed.pixels()));
    }

    @ParameterizedTest
    @CsvSource({"jpeg-baseline, MONOCHROME2", "jpeg-baseline-rgb, RGB", "jpeg-baseline-ybr-full, RGB",
            "jpeg-extended, MONOCHROME2"})
    void decodesBaselineLikeDcmdjpeg(String name, String photometric) throws Exception {
        Path sample = CodecFixtures.sample(name);
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        FrameCodec codec = FrameCodecs.forTransferSyntax(compressed.transferSyntax()).orElseThrow();
        assertTrue(codec.canDecode(compressed.pixels()));
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(sample, work));
        assertEquals(photometric, reference.pixels().photometricInterpretation(), "dcmdjpeg's output");
        PixelDescription decoded = codec.decoded(compressed.pixels());
        assertEquals(photometric, decoded.photometricInterpretation());
        assertEquals(0, decoded.planarConfiguration());
        byte[] ours = codec.decode(compressed.frames().get(0), compressed.pixels());
        CodecFixtures.Error error = CodecFixtures.error(reference.frames().get(0), ours, decoded);
        assertTrue(error.max() <= DECODE_TOLERANCE, name + ": " + error);
    }

    /**
     * Our encoding, decoded by dcmdjpeg, lies no further from the original than dcmcjpeg's own at the same quality
     * (the sample codec-samples.sh made from the same source), give or take a few grey levels.
     */
    @ParameterizedTest
    @CsvSource({"native-mono8, jpeg-baseline, MONOCHROME2", "native-rgb, jpeg-baseline-rgb, RGB"})
    void encodesBaselineThatDcmdjpegDecodes(String name, String dcmcjpegs, String photometric) throws Exception {
        Path source = CodecFixtures.sample(name);
        CodecFixtures.Instance original = CodecFixtures.read(source);
        FrameCodec codec = FrameCodecs.forTransferSyntax(JpegBaselineCodec.TRANSFER_SYNTAX).orElseThrow();
        assertTrue(codec.canEncode(original.pixels()));
        assertTrue(codec.lossy());
        byte[] encoded = codec.encode(original.frames().get(0), original.pixels());
        Path ours = CodecFixtures.writeEncapsulated(source, List.of(encoded), codec.encoded(original.pixels()),
                JpegBaselineCodec.TRANSFER_SYNTAX, work.resolve("ours.dcm"));
        CodecFixtures.Instance decoded = CodecFixtures.read(CodecFixtures.reference(ours, work));
        assertEquals(photometric, decoded.pixels().photometricInterpretation());
        CodecFixtures.Error error = CodecFixtures.error(original.frames().get(0), decoded.frames().get(0),
                original.pixels());
        CodecFixtures.Error theirs = CodecFixtures.error(original.frames().get(0), CodecFixtures.read(
                CodecFixtures.reference(CodecFixtures.sample(dcmcjpegs), work)).frames().get(0), original.pixels());
        assertTrue(error.max() <= theirs.max() + 4 && error.mean() <= theirs.mean() * 1.25 + 0.5,
                name + ": ours " + error + ", dcmcjpeg's " + theirs);
        assertTrue(encoded.length < original.frames().get(0).length / 3, name + ": " + encoded.length + " bytes");
    }

    /** Baseline is a subset of the extended process: our DCT decoder reads it too, as closely. */
    @Test
    void theExtendedDecoderReadsBaselineFramesToo() throws Exception {
        Path sample = CodecFixtures.sample("jpeg-baseline");
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        byte[] ours = new JpegExtendedCodec().decode(compressed.frames().get(0), compressed.pixels());
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(sample, work));
        CodecFixtures.Error error = CodecFixtures.error(reference.frames().get(0), ours, compressed.pixels());
        assertTrue(error.max() <= DECODE_TOLERANCE && error.mean() < 0.5, error.toString());
    }

    @Test
    void listsWhatItDecodesAndEncodes() {
        assertEquals(List.of("1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
                "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
                "1.2.840.10008.1.2.4.81"), FrameCodecs.decodable());
        assertEquals(List.of("1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50"), FrameCodecs.encodable());
    }
}
