package org.dicomweb.gateway.core.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnknownAttribute;
import org.junit.jupiter.api.Test;

/** Streams data sets through the converter in random chunks and reads the result back with PixelMed. */
class ImplicitExplicitConverterTest {

    private static final String IMPLICIT = ImplicitExplicitConverter.IMPLICIT;
    private static final String EXPLICIT = ImplicitExplicitConverter.EXPLICIT;

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }

    /** Strings, numbers, nested sequences (one empty), a private block, a long UN value and pixel data. */
    private static AttributeList dataSet() throws DicomException {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPInstanceUID, "1.2.3.4.5");
        put(list, TagFromName.PatientName, "Müller^Jürgen");
        put(list, TagFromName.Rows, "4");
        put(list, TagFromName.Columns, "4");
        put(list, TagFromName.WindowCenter, "40");
        SequenceAttribute outer = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
        for (int i = 0; i < 2; i++) {
            AttributeList item = new AttributeList();
            put(item, TagFromName.SeriesInstanceUID, "1.2.3." + i);
            SequenceAttribute inner = new SequenceAttribute(TagFromName.ReferencedInstanceSequence);
            AttributeList innerItem = new AttributeList();
            put(innerItem, TagFromName.ReferencedSOPInstanceUID, "1.2.3." + i + ".1");
            inner.addItem(innerItem);
            item.put(inner);
            outer.addItem(item);
        }
        list.put(outer);
        list.put(new SequenceAttribute(TagFromName.ReferencedStudySequence));
        put(list, new AttributeTag(0x0009, 0x0010), "GATEWAY TEST");
        UnknownAttribute unknown = new UnknownAttribute(new AttributeTag(0x0009, 0x1001));
        byte[] big = new byte[70_000];
        new Random(1).nextBytes(big);
        unknown.setValues(big);
        list.put(unknown);
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(new short[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        list.put(pixels);
        return list;
    }

    private static byte[] encode(AttributeList list, String transferSyntax) throws IOException, DicomException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes, null, transferSyntax);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] convert(byte[] dataSet, String from, long seed) throws IOException {
        ByteArrayOutputStream converted = new ByteArrayOutputStream();
        ImplicitExplicitConverter converter = new ImplicitExplicitConverter(converted, from);
        Random chunks = new Random(seed);
        for (int off = 0; off < dataSet.length; ) {
            int n = Math.min(dataSet.length - off, 1 + chunks.nextInt(17));
            converter.write(dataSet, off, n);
            off += n;
        }
        converter.finish();
        return converted.toByteArray();
    }

    private static AttributeList decode(byte[] dataSet, String transferSyntax) throws IOException, DicomException {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(dataSet), transferSyntax, false));
        return list;
    }

    /** PixelMed's listing without the item offsets, which depend on the encoding. */
    private static String describe(AttributeList list) {
        return list.toString().replaceAll("\\[starts at 0x[0-9a-f]+\\]", "");
    }

    @Test
    void convertsBothWaysWithSequencesPrivateTagsAndPixelData() throws Exception {
        AttributeList original = dataSet();
        for (String[] way : new String[][] {{IMPLICIT, EXPLICIT}, {EXPLICIT, IMPLICIT}}) {
            for (long seed = 0; seed < 5; seed++) {
                byte[] converted = convert(encode(original, way[0]), way[0], seed);
                AttributeList back = decode(converted, way[1]);
                assertEquals(describe(decode(encode(original, way[1]), way[1])), describe(back),
                        way[0] + " -> " + way[1]);
                assertArrayEquals(encode(original, way[1]), encode(back, way[1]));
            }
        }
    }

    /**
     * Sequences and items of defined length (PixelMed writes only undefined ones): converted, they are written with
     * undefined length and delimitation items, as PixelMed itself encodes them.
     */
    @Test
    void sequencesAndItemsOfDefinedLengthAreDelimited() throws Exception {
        ByteArrayOutputStream implicit = new ByteArrayOutputStream();
        implicit.writeBytes(new byte[] {0x08, 0, 0x15, 0x11, 32, 0, 0, 0}); // ReferencedSeriesSequence, 32 bytes
        implicit.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, (byte) 0xE0, 24, 0, 0, 0}); // item, 24 bytes
        implicit.writeBytes(new byte[] {0x08, 0, 0x4A, 0x11, 0, 0, 0, 0}); // ReferencedInstanceSequence, empty
        implicit.writeBytes(new byte[] {0x20, 0, 0x0E, 0, 8, 0, 0, 0}); // SeriesInstanceUID, 8 bytes
        implicit.writeBytes("1.2.3.0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        implicit.writeBytes(new byte[] {0x20, 0, 0x11, 0, 2, 0, 0, 0, '7', ' '}); // SeriesNumber after the sequence
        byte[] converted = convert(implicit.toByteArray(), IMPLICIT, 3);
        AttributeList expected = decode(implicit.toByteArray(), IMPLICIT);
        assertEquals("1.2.3.0", Attribute.getSingleStringValueOrEmptyString(((SequenceAttribute) expected.get(
                TagFromName.ReferencedSeriesSequence)).getItem(0).getAttributeList(), TagFromName.SeriesInstanceUID));
        assertArrayEquals(encode(expected, EXPLICIT), converted);
        assertArrayEquals(encode(expected, IMPLICIT), convert(converted, EXPLICIT, 4));
    }

    @Test
    void aRoundTripOfACtInstanceGivesItsBytesBack() throws Exception {
        byte[] file = ctInstanceFile();
        long metaEnd = 144 + ((file[140] & 0xFFL) | (file[141] & 0xFFL) << 8 | (file[142] & 0xFFL) << 16
                | (file[143] & 0xFFL) << 24);
        byte[] explicit = java.util.Arrays.copyOfRange(file, (int) metaEnd, file.length);
        byte[] implicit = convert(explicit, EXPLICIT, 1);
        assertEquals(describe(decode(explicit, EXPLICIT)), describe(decode(implicit, IMPLICIT)));
        assertArrayEquals(explicit, convert(implicit, IMPLICIT, 2));
    }

    @Test
    void aDataSetCutShortIsAnError() throws Exception {
        byte[] whole = encode(dataSet(), EXPLICIT);
        ImplicitExplicitConverter converter = new ImplicitExplicitConverter(new ByteArrayOutputStream(), EXPLICIT);
        converter.write(whole, 0, whole.length - 5);
        assertThrows(IOException.class, converter::finish);
    }

    /**
     * A Part 10 file such as scripts/GenerateStudies.java writes for the sample studies (the same attributes, CT
     * Image Storage in Explicit VR Little Endian through PixelMed), made here so that the test needs no samples, with
     * 64 x 64 pixels instead of 512 x 512.
     */
    private static byte[] ctInstanceFile() throws Exception {
        AttributeList list = new AttributeList();
        String[][] values = {
            {"ImageType", "ORIGINAL", "PRIMARY", "AXIAL"}, {"SOPClassUID", SOPClass.CTImageStorage},
            {"SOPInstanceUID", "2.25.1001"}, {"StudyDate", "20240102"}, {"StudyTime", "101500"},
            {"AccessionNumber", "A1234567"}, {"Modality", "CT"}, {"Manufacturer", "DICOMWEB-GW-TEST"},
            {"ReferringPhysicianName", "HOUSE^GREGORY^^DR"}, {"StudyDescription", "CT CHEST W/O CONTRAST"},
            {"PatientName", "DOE^JOHN"}, {"PatientID", "PAT0000001"}, {"PatientBirthDate", "19700101"},
            {"PatientSex", "M"}, {"BodyPartExamined", "CHEST"}, {"SliceThickness", "5"},
            {"PatientPosition", "HFS"}, {"StudyInstanceUID", "2.25.1"}, {"SeriesInstanceUID", "2.25.11"},
            {"StudyID", "1"}, {"SeriesNumber", "1"}, {"InstanceNumber", "1"},
            {"ImagePositionPatient", "-250", "-250", "12.5"}, {"ImageOrientationPatient", "1", "0", "0", "0", "1", "0"},
            {"FrameOfReferenceUID", "2.25.2"}, {"PositionReferenceIndicator"}, {"SliceLocation", "12.5"},
            {"SamplesPerPixel", "1"}, {"PhotometricInterpretation", "MONOCHROME2"}, {"Rows", "64"},
            {"Columns", "64"}, {"PixelSpacing", "0.976562", "0.976562"}, {"BitsAllocated", "16"},
            {"BitsStored", "12"}, {"HighBit", "11"}, {"PixelRepresentation", "0"}, {"WindowCenter", "40"},
            {"WindowWidth", "400"}, {"RescaleIntercept", "-1024"}, {"RescaleSlope", "1"}, {"RescaleType", "HU"}};
        for (String[] element : values) {
            Attribute attribute = AttributeFactory.newAttribute(AttributeList.getDictionary().getTagFromName(
                    element[0]));
            for (int i = 1; i < element.length; i++) {
                attribute.addValue(element[i]);
            }
            list.put(attribute);
        }
        put(list, new AttributeTag(0x0018, 0x0060), "120"); // KVP, as the generator writes it
        FileMetaInformation.addFileMetaInformation(list, EXPLICIT, "GENSTUDIES");
        short[] stored = new short[64 * 64];
        Random noise = new Random(7);
        for (int i = 0; i < stored.length; i++) {
            stored[i] = (short) (1024 + noise.nextInt(200));
        }
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(stored);
        list.put(pixels);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        list.write(file, EXPLICIT, true, false);
        return file.toByteArray();
    }
}
