package org.dicomweb.gateway.core.transcode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RLE (PS3.5 Annex G) against dcmtk's dcmcrle/dcmdrle on the project's samples: lossless both ways. */
class RleCodecTest {

    private final RleCodec codec = new RleCodec();

    @TempDir
    Path work;

    @Test
    void decodesDcmcrleOutputToTheOriginalPixels() throws Exception {
        Path source = CodecFixtures.ctSlice();
        Path rle = work.resolve("rle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), rle.toString());
        CodecFixtures.Instance compressed = CodecFixtures.read(rle);
        CodecFixtures.Instance reference = CodecFixtures.read(source);
        assertEquals(RleCodec.TRANSFER_SYNTAX, compressed.transferSyntax());
        assertTrue(codec.canDecode(compressed.pixels()));
        assertArrayEquals(reference.frames().get(0), codec.decode(compressed.frames().get(0), compressed.pixels()));
    }

    @Test
    void decodesRgbLikeDcmdrle() throws Exception {
        Path sample = CodecFixtures.sample("rle-rgb");
        CodecFixtures.Instance compressed = CodecFixtures.read(sample);
        CodecFixtures.Instance reference = CodecFixtures.read(CodecFixtures.reference(sample, work));
        assertEquals(0, reference.pixels().planarConfiguration(), "dcmdrle's output colour-by-pixel");
        assertEquals(reference.pixels(), codec.decoded(compressed.pixels()));
        assertArrayEquals(reference.frames().get(0), codec.decode(compressed.frames().get(0), compressed.pixels()));
        assertArrayEquals(CodecFixtures.read(CodecFixtures.sample("native-rgb")).frames().get(0),
                reference.frames().get(0));
    }

    @Test
    void encodesWhatDcmdrleDecodesToTheOriginalPixels() throws Exception {
        Path source = CodecFixtures.ctSlice();
        CodecFixtures.Instance original = CodecFixtures.read(source);
        byte[] encoded = codec.encode(original.frames().get(0), original.pixels());
        Path rle = CodecFixtures.writeEncapsulated(source, List.of(encoded), codec.encoded(original.pixels()),
                RleCodec.TRANSFER_SYNTAX, work.resolve("ours.dcm"));
        Path decoded = work.resolve("decoded.dcm");
        CodecFixtures.run("dcmdrle", rle.toString(), decoded.toString());
        assertArrayEquals(original.frames().get(0), CodecFixtures.read(decoded).frames().get(0));
        Path theirs = work.resolve("dcmcrle.dcm");
        CodecFixtures.run("dcmcrle", source.toString(), theirs.toString());
        int dcmcrle = CodecFixtures.read(theirs).frames().get(0).length;
        assertTrue(encoded.length <= dcmcrle * 101L / 100, "ours " + encoded.length + " bytes, dcmcrle's " + dcmcrle);
    }

    @Test
    void roundTripsRgbColourByPixelAndByPlane() throws Exception {
        PixelDescription rgb = new PixelDescription(3, 5, 3, 8, 8, 7, 0, 0, "RGB", 1);
        byte[] pixels = new byte[45];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 7 < 3 ? 200 : i * 37);
        }
        assertArrayEquals(pixels, codec.decode(codec.encode(pixels, rgb), codec.encoded(rgb)));
        byte[] planes = new byte[45];
        for (int p = 0; p < 15; p++) {
            for (int s = 0; s < 3; s++) {
                planes[s * 15 + p] = pixels[p * 3 + s];
            }
        }
        PixelDescription byPlane = rgb.withPhotometricInterpretation("RGB", 1);
        assertArrayEquals(pixels, codec.decode(codec.encode(planes, byPlane), codec.encoded(byPlane)));
    }

    @Test
    void longRunsAndLiteralsSplitAt128() throws Exception {
        PixelDescription mono = new PixelDescription(1, 700, 1, 8, 8, 7, 0, 0, "MONOCHROME2", 1);
        byte[] pixels = new byte[700];
        Arrays.fill(pixels, 0, 300, (byte) 9);
        for (int i = 300; i < 700; i++) {
            pixels[i] = (byte) i;
        }
        assertArrayEquals(pixels, codec.decode(codec.encode(pixels, mono), mono));
    }

    @Test
    void refusesATruncatedFrameNamingTheSegment() throws Exception {
        PixelDescription mono = new PixelDescription(4, 4, 1, 16, 12, 11, 0, 0, "MONOCHROME2", 1);
        byte[] encoded = codec.encode(new byte[32], mono);
        IOException refused = assertThrows(IOException.class,
                () -> codec.decode(Arrays.copyOf(encoded, encoded.length - 2), mono));
        assertTrue(refused.getMessage().contains("segment 2"), refused.getMessage());
    }
}
