package org.dicomweb.gateway.testdata;

import java.io.IOException;
import java.nio.file.Path;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

/** Real Part 10 instances for unit tests: native 16-bit MONOCHROME2 CT images, written by PixelMed. */
public final class CtImages {

    private CtImages() {
    }

    /**
     * The data set of a CT image of {@code frames} frames of rows×columns samples ({@code samples} as its pixel data:
     * rows × columns × frames of them); the caller may add attributes before {@link #write}.
     */
    public static AttributeList image(String studyUid, String seriesUid, String sopInstanceUid, int rows, int columns,
            int frames, short[] samples) throws DicomException {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
        put(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        put(list, TagFromName.StudyInstanceUID, studyUid);
        put(list, TagFromName.SeriesInstanceUID, seriesUid);
        put(list, TagFromName.Modality, "CT");
        put(list, TagFromName.Rows, String.valueOf(rows));
        put(list, TagFromName.Columns, String.valueOf(columns));
        put(list, TagFromName.SamplesPerPixel, "1");
        put(list, TagFromName.BitsAllocated, "16");
        put(list, TagFromName.BitsStored, "16");
        put(list, TagFromName.HighBit, "15");
        put(list, TagFromName.PixelRepresentation, "0");
        put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        put(list, TagFromName.NumberOfFrames, String.valueOf(frames));
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(samples);
        list.put(pixels);
        return list;
    }

    /** Writes {@code list} as a Part 10 file in Explicit VR Little Endian. */
    public static Path write(AttributeList list, Path file) throws IOException, DicomException {
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    public static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }
}
