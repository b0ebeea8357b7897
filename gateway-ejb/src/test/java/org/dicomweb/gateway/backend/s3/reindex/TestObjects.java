package org.dicomweb.gateway.backend.s3.reindex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/** Part 10 files as another tool would put them into a bucket: a native CT image, its header padded at will. */
final class TestObjects {

    private TestObjects() {
    }

    /**
     * A native 16-bit image of {@code frames} 8×8 frames in Explicit VR Little Endian; {@code headerPadding} bytes of
     * a private OB element before the pixel data make the header as long as a test needs.
     */
    static Path image(Path file, int frames, int headerPadding) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        put(list, TagFromName.SOPInstanceUID, "1.2.826.0.1.3680043.10.1.3");
        put(list, TagFromName.StudyInstanceUID, "1.2.826.0.1.3680043.10.1.1");
        put(list, TagFromName.SeriesInstanceUID, "1.2.826.0.1.3680043.10.1.2");
        put(list, TagFromName.Modality, "CT");
        put(list, TagFromName.Rows, "8");
        put(list, TagFromName.Columns, "8");
        put(list, TagFromName.SamplesPerPixel, "1");
        put(list, TagFromName.BitsAllocated, "16");
        put(list, TagFromName.BitsStored, "16");
        put(list, TagFromName.HighBit, "15");
        put(list, TagFromName.PixelRepresentation, "0");
        put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(list, TagFromName.NumberOfFrames, String.valueOf(frames));
        if (headerPadding > 0) {
            LongStringAttribute creator = new LongStringAttribute(new AttributeTag(0x0029, 0x0010));
            creator.addValue("TEST");
            list.put(creator);
            OtherByteAttribute padding = new OtherByteAttribute(new AttributeTag(0x0029, 0x1010));
            padding.setValues(new byte[headerPadding]);
            list.put(padding);
        }
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(new short[8 * 8 * frames]);
        list.put(pixels);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    /** The first {@code bytes} of {@code file}, as a ranged GET fetches them. */
    static Path start(Path file, long bytes, Path into) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Files.write(into, Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }
}
