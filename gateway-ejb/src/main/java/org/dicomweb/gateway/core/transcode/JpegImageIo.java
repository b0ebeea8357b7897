package org.dicomweb.gateway.core.transcode;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.IIOImage;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.IIOServiceProvider;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriterSpi;

/**
 * TwelveMonkeys' JPEG reader and writer, from SPIs this class instantiates itself: inside WildFly the jar is in the
 * EAR, not on a class path ImageIO scans, and the thread's context class loader is not a reliable way to find it.
 * TwelveMonkeys decodes lossless JPEG (SOF3) itself and hands DCT frames to the JDK's reader, which it finds in the
 * JDK's registry (always there: the JDK registers its own plug-ins). Readers and writers are not thread-safe, so each
 * frame gets its own, disposed afterwards.
 */
final class JpegImageIo {

    private static final ImageReaderSpi READERS = registered(new JPEGImageReaderSpi());
    private static final ImageWriterSpi WRITERS = registered(new JPEGImageWriterSpi());

    private JpegImageIo() {
    }

    /** Lets the SPI find its JDK delegate (onRegistration does, without adding the SPI to the registry). */
    private static <T extends IIOServiceProvider> T registered(T spi) {
        Class<?> category = spi instanceof ImageReaderSpi ? ImageReaderSpi.class : ImageWriterSpi.class;
        spi.onRegistration(IIORegistry.getDefaultInstance(), category);
        return spi;
    }

    /** One JPEG bitstream as its raster (the samples as the bitstream holds them, colour converted to RGB). */
    static Raster read(byte[] bitstream) throws IOException {
        ImageReader reader = READERS.createReaderInstance();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bitstream))) {
            reader.setInput(in, true, true);
            return reader.read(0).getRaster();
        } finally {
            reader.dispose();
        }
    }

    /** An image as one JPEG bitstream, with the writer's image metadata as {@code adjust} leaves it. */
    static byte[] write(BufferedImage image, float quality, MetadataAdjustment adjust) throws IOException {
        ImageWriter writer = WRITERS.createWriterInstance();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    param);
            adjust.apply(metadata);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Changes the writer's default image metadata (javax_imageio_jpeg_image_1.0) before a frame is written. */
    @FunctionalInterface
    interface MetadataAdjustment {
        void apply(IIOMetadata metadata) throws IOException;
    }

    /** A decoded raster as a native frame: samples interleaved (planar configuration 0), little-endian words. */
    static byte[] nativeFrame(Raster raster, PixelDescription pixels) throws IOException {
        if (raster.getWidth() != pixels.columns() || raster.getHeight() != pixels.rows()
                || raster.getNumBands() != pixels.samplesPerPixel()) {
            throw new IOException("the JPEG frame is " + raster.getWidth() + "x" + raster.getHeight() + " with "
                    + raster.getNumBands() + " component(s); the data set says " + pixels.columns() + "x"
                    + pixels.rows() + " with " + pixels.samplesPerPixel());
        }
        return NativeSamples.of(raster.getPixels(0, 0, raster.getWidth(), raster.getHeight(), (int[]) null),
                pixels.bitsAllocated());
    }
}
