package org.dicomweb.gateway.core.transcode;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/**
 * What happens to each frame of one instance on its way from the source syntax to the target: decoded by the
 * source's codec (none when native), encoded by the target's (none when native), or passed as it is between two
 * equal encapsulated syntaxes; and how the Image Pixel attributes change with it.
 */
final class FrameConversion {

    /** PS3.3 C.7.6.1.1.5.1: the Lossy Image Compression Method of the lossy syntaxes. */
    private static final Map<String, String> LOSSY_METHODS = Map.of(
            "1.2.840.10008.1.2.4.50", "ISO_10918_1", "1.2.840.10008.1.2.4.51", "ISO_10918_1",
            "1.2.840.10008.1.2.4.81", "ISO_14495_1", "1.2.840.10008.1.2.4.91", "ISO_15444_1",
            "1.2.840.10008.1.2.4.203", "ISO_15444_15");
    private static final AttributeTag EXTENDED_OFFSET_TABLE = new AttributeTag(0x7FE0, 0x0001);
    private static final AttributeTag EXTENDED_OFFSET_TABLE_LENGTHS = new AttributeTag(0x7FE0, 0x0002);

    private final PixelDescription source;
    private final PixelDescription nativePixels;
    private final PixelDescription target;
    private final FrameCodec decoder;
    private final FrameCodec encoder;
    private final String sourceSyntax;
    private final String targetSyntax;

    private FrameConversion(PixelDescription source, PixelDescription nativePixels, PixelDescription target,
            FrameCodec decoder, FrameCodec encoder, String sourceSyntax, String targetSyntax) {
        this.source = source;
        this.nativePixels = nativePixels;
        this.target = target;
        this.decoder = decoder;
        this.encoder = encoder;
        this.sourceSyntax = sourceSyntax;
        this.targetSyntax = targetSyntax;
    }

    /** Refuses, naming why, what no codec converts. */
    static FrameConversion of(InstanceHeader header, String targetSyntax, String what)
            throws NotTranscodableException {
        String sourceSyntax = header.transferSyntax;
        PixelDescription source = PixelDescriptions.of(header.dataSet);
        boolean nativeSource = NativeSyntax.of(sourceSyntax).isPresent();
        Optional<NativeSyntax> nativeTarget = NativeSyntax.of(targetSyntax);
        if (header.pixelDataLength < 0 || !nativeSource && sourceSyntax.equals(targetSyntax)) {
            if (nativeTarget.isEmpty() && FrameCodecs.forTransferSyntax(targetSyntax).isEmpty()) {
                throw new NotTranscodableException(what + " cannot be written in " + targetSyntax);
            }
            return new FrameConversion(source, source, source, null, null, sourceSyntax, targetSyntax);
        }
        FrameCodec decoder = null;
        PixelDescription nativePixels = source;
        if (!nativeSource) {
            decoder = FrameCodecs.forTransferSyntax(sourceSyntax)
                    .filter(codec -> codec.canDecode(source))
                    .orElseThrow(() -> new NotTranscodableException(what + ": no codec decodes " + sourceSyntax
                            + " frames of " + describe(source)));
            nativePixels = decoder.decoded(source);
        }
        if (nativeTarget.isPresent()) {
            return new FrameConversion(source, nativePixels, nativePixels, decoder, null, sourceSyntax,
                    targetSyntax);
        }
        PixelDescription decoded = nativePixels;
        FrameCodec encoder = FrameCodecs.forTransferSyntax(targetSyntax)
                .filter(codec -> codec.canEncode(decoded))
                .orElseThrow(() -> new NotTranscodableException(what + ": no codec encodes " + describe(decoded)
                        + " as " + targetSyntax));
        return new FrameConversion(source, nativePixels, encoder.encoded(nativePixels), decoder, encoder,
                sourceSyntax, targetSyntax);
    }

    PixelDescription source() {
        return source;
    }

    PixelDescription target() {
        return target;
    }

    byte[] convert(byte[] frame) throws IOException {
        byte[] pixels = decoder == null ? frame : decoder.decode(frame, source);
        if (decoder != null && pixels.length != nativePixels.nativeFrameLength()) {
            throw new IOException("a " + sourceSyntax + " frame decoded to " + pixels.length + " bytes, not the "
                    + nativePixels.nativeFrameLength() + " of " + describe(nativePixels));
        }
        return encoder == null ? pixels : encoder.encode(pixels, nativePixels);
    }

    /**
     * Sets the Image Pixel attributes the codecs changed, drops the Extended Offset Table (its offsets no longer
     * hold), and records lossy compression: once lossy, always "01" (PS3.3 C.7.6.1.1.5), with the method and the
     * ratio, which is the first frame's (the ratio is "approximate" by definition, and the header goes out before
     * the other frames are encoded).
     */
    void describe(AttributeList dataSet, long firstEncodedLength) throws NotTranscodableException {
        try {
            if (!target.equals(source)) {
                set(dataSet, TagFromName.SamplesPerPixel, target.samplesPerPixel());
                set(dataSet, TagFromName.BitsAllocated, target.bitsAllocated());
                set(dataSet, TagFromName.BitsStored, target.bitsStored());
                set(dataSet, TagFromName.HighBit, target.highBit());
                set(dataSet, TagFromName.PixelRepresentation, target.pixelRepresentation());
                set(dataSet, TagFromName.PhotometricInterpretation, target.photometricInterpretation());
                if (target.samplesPerPixel() > 1) {
                    set(dataSet, TagFromName.PlanarConfiguration, target.planarConfiguration());
                }
            }
            if (decoder != null || encoder != null) {
                dataSet.remove(EXTENDED_OFFSET_TABLE);
                dataSet.remove(EXTENDED_OFFSET_TABLE_LENGTHS);
            }
            if (decoder != null && LOSSY_METHODS.containsKey(sourceSyntax)
                    && !"01".equals(Attribute.getSingleStringValueOrNull(dataSet, TagFromName.LossyImageCompression))) {
                set(dataSet, TagFromName.LossyImageCompression, "01"); // the source lost it already
                append(dataSet, TagFromName.LossyImageCompressionMethod, LOSSY_METHODS.get(sourceSyntax));
            }
            if (encoder != null && encoder.lossy()) {
                set(dataSet, TagFromName.LossyImageCompression, "01");
                append(dataSet, TagFromName.LossyImageCompressionRatio, String.format(Locale.ROOT, "%.2f",
                        (double) nativePixels.nativeFrameLength() / Math.max(1, firstEncodedLength)));
                append(dataSet, TagFromName.LossyImageCompressionMethod,
                        LOSSY_METHODS.getOrDefault(targetSyntax, targetSyntax));
            }
        } catch (DicomException e) {
            throw new NotTranscodableException("cannot set the Image Pixel attributes: " + e.getMessage());
        }
    }

    private static void set(AttributeList dataSet, AttributeTag tag, Object value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(String.valueOf(value));
        dataSet.put(attribute);
    }

    private static void append(AttributeList dataSet, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = dataSet.get(tag);
        if (attribute == null) {
            set(dataSet, tag, value);
        } else {
            attribute.addValue(value);
        }
    }

    private static String describe(PixelDescription pixels) {
        return pixels.rows() + "x" + pixels.columns() + ", " + pixels.samplesPerPixel() + " samples of "
                + pixels.bitsStored() + "/" + pixels.bitsAllocated() + " bits, "
                + pixels.photometricInterpretation();
    }
}
