package org.dicomweb.gateway.core.frames;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.display.ConsumerFormatImageMaker;
import com.pixelmed.display.SourceImage;

import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.Rendering;

/**
 * Renders one frame of a cached instance to JPEG or PNG with PixelMed: the modality LUT (rescale), then the window
 * asked for or else the data set's own VOI (window centre and width, or VOI LUT), to 8 bits; MONOCHROME1 inverted;
 * colour (RGB, YBR, palette) as colour. Compressed pixel data is decoded by the gateway's codecs, one frame
 * ({@link DecodedFrame}); what they do not decode, PixelMed tries itself (and fails: a 406).
 */
public final class FrameRenderer {

    private static final List<String> WHOLE_INSTANCE = List.of("multipart/related; type=\"application/dicom\"");

    private FrameRenderer() {
    }

    public static byte[] render(Path file, int frame, Rendering rendering, String what) throws IOException {
        BufferedImage image = scaled(eightBit(file, frame, rendering, what), rendering);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        if (rendering.mediaType().equals(Rendering.PNG)) {
            ImageIO.write(image, "png", encoded);
        } else {
            writeJpeg(image, rendering.quality(), encoded);
        }
        return encoded.toByteArray();
    }

    private static BufferedImage eightBit(Path file, int frame, Rendering rendering, String what) throws IOException {
        Optional<AttributeList> decoded = DecodedFrame.of(file, frame, what);
        AttributeList dataSet = decoded.isPresent() ? decoded.get() : dataSet(file);
        int index = decoded.isPresent() ? 0 : frame - 1;
        int frames = Attribute.getSingleIntegerValueOrDefault(dataSet, TagFromName.NumberOfFrames, 1);
        if (index >= frames) {
            throw new NotFoundInPacsException(what + " has " + frames + " frame(s), no frame " + frame);
        }
        try {
            if (rendering.window().isPresent()) {
                Rendering.Window window = rendering.window().get();
                // The VOI LUT would win over the window asked for. (Per-frame VOI of enhanced objects is kept.)
                dataSet.remove(TagFromName.VOILUTSequence);
                ConsumerFormatImageMaker.replaceWindowWidthAndCenterInAttributeList(dataSet,
                        decimal(TagFromName.WindowCenter, window.center()),
                        decimal(TagFromName.WindowWidth, window.width()));
            }
            return ConsumerFormatImageMaker.makeEightBitFrame(new SourceImage(dataSet), index);
        } catch (DicomException | RuntimeException e) {
            // PixelMed cannot decode it (a codec it lacks, a photometric interpretation it does not know).
            throw new NotAcceptableException(what + " cannot be rendered (" + e + ")",
                    WHOLE_INSTANCE);
        }
    }

    private static AttributeList dataSet(Path file) throws IOException {
        AttributeList dataSet = new AttributeList();
        try {
            dataSet.read(file.toString());
        } catch (DicomException e) {
            throw new IOException("cannot read cached instance " + file + ": " + e.getMessage(), e);
        }
        return dataSet;
    }

    private static Attribute decimal(AttributeTag tag, double value) throws DicomException {
        Attribute attribute = new DecimalStringAttribute(tag);
        attribute.addValue(value);
        return attribute;
    }

    /** To fit the viewport, keeping the aspect ratio; bilinear, which is enough for a viewer's preview. */
    private static BufferedImage scaled(BufferedImage image, Rendering rendering) {
        if (rendering.viewport().isEmpty()) {
            return image;
        }
        Rendering.Viewport viewport = rendering.viewport().get();
        double scale = Math.min((double) viewport.width() / image.getWidth(),
                (double) viewport.height() / image.getHeight());
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        int type = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB;
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }

    private static void writeJpeg(BufferedImage image, int quality, ByteArrayOutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            parameters.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
    }
}
