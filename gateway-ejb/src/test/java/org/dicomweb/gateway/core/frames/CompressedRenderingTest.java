package org.dicomweb.gateway.core.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.dicomweb.gateway.core.transcode.CodecFixtures;
import org.dicomweb.gateway.wado.Rendering;

/**
 * Compressed instances render as their native source does: the frame decoded by the gateway's codecs first (PixelMed
 * alone, without its ImageIO plug-ins, refuses JPEG lossless); samples of scripts/codec-samples.sh.
 */
class CompressedRenderingTest {

    private static final Rendering PNG = new Rendering(Rendering.PNG, 100, Optional.empty(), Optional.empty());

    @ParameterizedTest
    @CsvSource({"jpeg-lossless", "jpeg-lossless-14", "jpeg-ls-lossless", "rle"})
    void aLosslessSampleRendersLikeItsNativeSource(String name) throws Exception {
        int[] expected = pixels(FrameRenderer.render(CodecFixtures.ctSlice(), 1, PNG, "the CT slice"));
        int[] rendered = pixels(FrameRenderer.render(CodecFixtures.sample(name), 1, PNG, name));
        assertArrayEquals(expected, rendered, name);
        assertTrue(IntStream.of(expected).distinct().count() > 1, "the slice renders as an image, not a blank");
    }

    private static int[] pixels(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
