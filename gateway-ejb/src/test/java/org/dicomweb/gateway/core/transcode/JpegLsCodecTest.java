package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our JPEG-LS decoder against dcmtk's dcmdjpls (CharLS) on scripts/codec-samples.sh's files: byte-identical for
 * lossless and for near-lossless too (a conforming decoder's reconstruction is exact; T.87 leaves it no freedom),
 * and the near-lossless one within NEAR (2) of the original; a 12-bit CT slice and an 8-bit image (the two branches
 * of the default thresholds).
 */
class JpegLsCodecTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"jpeg-ls-lossless, 0", "jpeg-ls-near, 2", "jpeg-ls-lossless-mono8, 0", "jpeg-ls-near-mono8, 2"})
    void decodesLikeDcmdjpls(String name, int near) throws Exception {
        Path sample = CodecFixtures.sample(name);
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        FrameCodec codec = FrameCodecs.forTransferSyntax(compressed.transferSyntax()).orElseThrow();
        assertTrue(codec.canDecode(compressed.pixels()));
        byte[] ours = codec.decode(compressed.frames().get(0), compressed.pixels());
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(sample, work));
        assertArrayEquals(reference.frames().get(0), ours, name);
        Path source = compressed.pixels().bitsAllocated() == 8 ? CodecFixtures.sample("native-mono8")
                : CodecFixtures.ctSlice();
        byte[] original = CodecFixtures.read(source).frames().get(0);
        assertEquals(near, CodecFixtures.error(original, ours, compressed.pixels()).max(), name + ": NEAR");
    }
}
