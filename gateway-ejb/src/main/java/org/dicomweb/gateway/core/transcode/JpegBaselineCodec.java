package org.dicomweb.gateway.core.transcode;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.Set;

import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

import org.w3c.dom.NodeList;

/**
 * JPEG Baseline (Process 1), 8-bit, monochrome or colour, both ways, through the JDK's DCT codec (by way of
 * TwelveMonkeys, {@link JpegImageIo}). Colour bitstreams hold YCbCr (YBR_FULL_422 or YBR_FULL, PS3.5 §8.2.1) and
 * decode to RGB; RGB frames are encoded as YBR_FULL_422, chroma halved horizontally only (4:2:2), at quality 90
 * (dcmcjpeg's default).
 */
public final class JpegBaselineCodec implements FrameCodec {

    public static final String TRANSFER_SYNTAX = "1.2.840.10008.1.2.4.50";
    private static final float QUALITY = 0.9f;
    private static final Set<String> MONOCHROME = Set.of("MONOCHROME1", "MONOCHROME2");
    private static final Set<String> COLOUR = Set.of("YBR_FULL_422", "YBR_FULL", "RGB");
    private static final String IMAGE_METADATA = "javax_imageio_jpeg_image_1.0";

    @Override
    public String transferSyntax() {
        return TRANSFER_SYNTAX;
    }

    @Override
    public boolean canDecode(PixelDescription encoded) {
        return eightBit(encoded) && (encoded.samplesPerPixel() == 1
                ? MONOCHROME.contains(encoded.photometricInterpretation())
                : encoded.samplesPerPixel() == 3 && COLOUR.contains(encoded.photometricInterpretation()));
    }

    @Override
    public boolean canEncode(PixelDescription nativePixels) {
        return eightBit(nativePixels) && nativePixels.pixelRepresentation() == 0 && (nativePixels.samplesPerPixel() == 1
                ? MONOCHROME.contains(nativePixels.photometricInterpretation())
                : nativePixels.samplesPerPixel() == 3 && "RGB".equals(nativePixels.photometricInterpretation()));
    }

    private static boolean eightBit(PixelDescription pixels) {
        return pixels.bitsAllocated() == 8 && pixels.bitsStored() == 8;
    }

    @Override
    public byte[] decode(byte[] frame, PixelDescription encoded) throws IOException {
        return JpegImageIo.nativeFrame(JpegImageIo.read(frame), decoded(encoded));
    }

    @Override
    public byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) throws IOException {
        if (nativeFrame.length < nativePixels.nativeFrameLength()) {
            throw new IOException("native frame of " + nativeFrame.length + " bytes, "
                    + nativePixels.nativeFrameLength() + " expected");
        }
        int width = nativePixels.columns();
        int height = nativePixels.rows();
        if (nativePixels.samplesPerPixel() == 1) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(nativeFrame, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0,
                    width * height);
            return JpegImageIo.write(image, QUALITY, metadata -> { });
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int pixels = width * height;
        boolean planes = nativePixels.planarConfiguration() == 1;
        for (int p = 0; p < pixels; p++) {
            for (int s = 0; s < 3; s++) {
                bgr[p * 3 + 2 - s] = nativeFrame[planes ? s * pixels + p : p * 3 + s];
            }
        }
        return JpegImageIo.write(image, QUALITY, JpegBaselineCodec::fourTwoTwo);
    }

    /** The JDK writes chroma at 4:2:0 by default; YBR_FULL_422 is 4:2:2: luminance sampled 2×1 (PS3.3 C.7.6.3.1.2). */
    private static void fourTwoTwo(IIOMetadata metadata) throws IOException {
        IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(IMAGE_METADATA);
        NodeList components = tree.getElementsByTagName("componentSpec");
        for (int i = 0; i < components.getLength(); i++) {
            IIOMetadataNode component = (IIOMetadataNode) components.item(i);
            boolean luminance = i == 0;
            component.setAttribute("HsamplingFactor", luminance ? "2" : "1");
            component.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(IMAGE_METADATA, tree);
    }

    @Override
    public PixelDescription decoded(PixelDescription encoded) {
        return encoded.samplesPerPixel() == 3 ? encoded.withPhotometricInterpretation("RGB", 0) : encoded;
    }

    @Override
    public PixelDescription encoded(PixelDescription nativePixels) {
        return nativePixels.samplesPerPixel() == 3
                ? nativePixels.withPhotometricInterpretation("YBR_FULL_422", 0)
                : nativePixels;
    }

    @Override
    public boolean lossy() {
        return true;
    }
}
