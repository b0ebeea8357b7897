package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedShortAttribute;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.transcode.FrameCodec;
import org.dicomweb.gateway.core.transcode.FrameCodecs;
import org.dicomweb.gateway.core.transcode.PixelDescription;
import org.dicomweb.gateway.core.transcode.PixelDescriptions;

/**
 * One frame of a compressed instance decoded by the gateway's codecs, as a native single-frame data set for PixelMed
 * to render: PixelMed's own decoders look for ImageIO plug-ins (JPEG lossless, JPEG-LS) that a WildFly deployment's
 * class loader does not offer it, and would decode every frame to render one.
 */
final class DecodedFrame {

    private DecodedFrame() {
    }

    /** Empty when the file's pixel data is native, or compressed in a way no codec of the gateway decodes. */
    static Optional<AttributeList> of(Path file, int frame, String what) throws IOException {
        InstanceFile instance = InstanceFile.read(file);
        if (instance.pixelData().isEmpty() || !instance.pixelData().get().encapsulated()) {
            return Optional.empty();
        }
        PixelDescription pixels = PixelDescriptions.of(instance.dataSet());
        Optional<FrameCodec> codec = FrameCodecs.forTransferSyntax(instance.transferSyntax())
                .filter(c -> c.canDecode(pixels));
        if (codec.isEmpty()) {
            return Optional.empty();
        }
        FrameLayout layout = FrameLayout.of(instance, what);
        layout.check(List.of(frame), what);
        byte[] decoded = codec.get().decode(layout.read(file, frame), pixels);
        try {
            return Optional.of(nativeDataSet(instance.dataSet(), codec.get().decoded(pixels), decoded, frame));
        } catch (DicomException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    /** The data set with the one decoded frame as its pixel data (and its per-frame functional group only). */
    private static AttributeList nativeDataSet(AttributeList dataSet, PixelDescription pixels, byte[] frame,
            int number) throws DicomException {
        AttributeList list = new AttributeList();
        list.putAll(dataSet);
        put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), pixels.photometricInterpretation());
        if (pixels.samplesPerPixel() > 1) {
            Attribute planar = new UnsignedShortAttribute(TagFromName.PlanarConfiguration);
            planar.addValue(pixels.planarConfiguration());
            list.put(planar);
        }
        put(list, new IntegerStringAttribute(TagFromName.NumberOfFrames), "1");
        Attribute perFrame = list.get(TagFromName.PerFrameFunctionalGroupsSequence);
        if (perFrame instanceof SequenceAttribute groups && groups.getNumberOfItems() >= number) {
            SequenceAttribute one = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
            one.addItem(groups.getItem(number - 1));
            list.put(one);
        }
        list.put(pixelData(pixels, frame));
        return list;
    }

    private static Attribute pixelData(PixelDescription pixels, byte[] frame) throws DicomException {
        AttributeTag tag = TagFromName.PixelData;
        if (pixels.bitsAllocated() <= 8) {
            OtherByteAttribute bytes = new OtherByteAttribute(tag);
            bytes.setValues(frame);
            return bytes;
        }
        short[] words = new short[frame.length / 2];
        for (int i = 0; i < words.length; i++) {
            words[i] = (short) ((frame[2 * i] & 0xFF) | (frame[2 * i + 1] & 0xFF) << 8);
        }
        OtherWordAttribute values = new OtherWordAttribute(tag);
        values.setValues(words);
        return values;
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }
}
