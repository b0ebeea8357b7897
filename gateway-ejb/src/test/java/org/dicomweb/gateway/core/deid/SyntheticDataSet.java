package org.dicomweb.gateway.core.deid;

import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * A data set that holds every attribute of Table E.1-1 with a value of its VR (the VR from PixelMed's dictionary; UN
 * for the few attributes newer than it), each text mentioning the patient's name so that cleaning shows, every
 * sequence with one item holding a {@link #CANARY} (so recursion shows), repeating groups and private attributes by
 * one instance each — and all of it a second time inside an item of {@link #CARRIER}, a sequence the table does not
 * list (the profile keeps it and must treat its items like the top level).
 */
final class SyntheticDataSet {

    static final String FAMILY_NAME = "Doe";
    static final String GIVEN_NAME = "John";
    /** Each text unique ("#index#": no text is a part of another), so that only the name is cut out of it. */
    static String text(int index) {
        return "about " + FAMILY_NAME + " #" + index + "#";
    }
    static final AttributeTag CARRIER = TagFromName.ReferencedSeriesSequence;
    /** Accession Number: Z under every option. */
    static final AttributeTag CANARY = TagFromName.AccessionNumber;
    static final AttributeTag PRIVATE_CREATOR = new AttributeTag(0x0009, 0x0010);
    static final AttributeTag PRIVATE_SAFE = new AttributeTag(0x0009, 0x1010);
    static final AttributeTag PRIVATE_UNSAFE = new AttributeTag(0x0009, 0x1011);
    static final String SAFE_PRIVATE_ENTRY = "0009,ACME IMAGING,10";

    private SyntheticDataSet() {
    }

    /** The concrete tag a row stands for: a repeating group's first instance, a private attribute of ACME's. */
    static AttributeTag tag(StandardTable.Row row) {
        if (row.tag().startsWith("(GGGG")) {
            return PRIVATE_UNSAFE;
        }
        String digits = row.tag().substring(1, 5) + row.tag().substring(6, 10);
        int value = Integer.parseUnsignedInt(digits.replace('X', '0'), 16);
        if (row.tag().endsWith("XXXX)")) {
            value |= 0x3000;
        }
        return new AttributeTag(value >>> 16, value & 0xFFFF);
    }

    static AttributeList of(List<StandardTable.Row> rows) throws DicomException {
        AttributeList top = level(rows, true);
        SequenceAttribute carrier = new SequenceAttribute(CARRIER);
        carrier.addItem(level(rows, false));
        top.put(carrier);
        return top;
    }

    private static AttributeList level(List<StandardTable.Row> rows, boolean top) throws DicomException {
        AttributeList list = new AttributeList();
        int index = top ? 0 : 1000;   // unique across both levels
        for (StandardTable.Row row : rows) {
            AttributeTag tag = tag(row);
            if (!top && (tag.getGroup() == 0x0000 || tag.getGroup() == 0x0002)) {
                continue;
            }
            list.put(attribute(tag, vr(tag), ++index));
        }
        put(list, PRIVATE_CREATOR, ValueRepresentation.LO, "ACME IMAGING");
        put(list, PRIVATE_SAFE, ValueRepresentation.LO, "safe " + index);
        put(list, PRIVATE_UNSAFE, ValueRepresentation.LO, text(index));
        return list;
    }

    static byte[] vr(AttributeTag tag) {
        if (tag.isPrivate()) {
            return ValueRepresentation.LO;
        }
        byte[] vr = DicomDictionary.StandardDictionary.getValueRepresentationFromTag(tag);
        if (vr == null) {
            return ValueRepresentation.UN;
        }
        if (ValueRepresentation.isUnspecifiedShortVR(vr) || ValueRepresentation.isUnspecifiedShortOrOtherWordVR(vr)) {
            return ValueRepresentation.US;
        }
        return ValueRepresentation.isOtherUnspecifiedVR(vr) ? ValueRepresentation.OW : vr;
    }

    private static Attribute attribute(AttributeTag tag, byte[] vr, int index) throws DicomException {
        if (ValueRepresentation.isSequenceVR(vr)) {
            SequenceAttribute sequence = new SequenceAttribute(tag);
            AttributeList item = new AttributeList();
            put(item, CANARY, ValueRepresentation.SH, "ACC" + index);
            sequence.addItem(item);
            return sequence;
        }
        Attribute attribute = AttributeFactory.newAttribute(tag, vr);
        if (tag.equals(TagFromName.PatientName)) {
            attribute.addValue(FAMILY_NAME + "^" + GIVEN_NAME);
        } else if (ValueRepresentation.isUniqueIdentifierVR(vr)) {
            attribute.addValue("1.2.826.0.1.3680043.9.7." + index);
        } else if (ValueRepresentation.isDateVR(vr)) {
            attribute.addValue("20200315");
        } else if (ValueRepresentation.isTimeVR(vr)) {
            attribute.addValue("101112");
        } else if (ValueRepresentation.isDateTimeVR(vr)) {
            attribute.addValue("20200315101112");
        } else if (ValueRepresentation.isAgeStringVR(vr)) {
            attribute.addValue("042Y");
        } else if (ValueRepresentation.isDecimalStringVR(vr) || ValueRepresentation.isIntegerStringVR(vr)) {
            attribute.addValue("7");
        } else if (ValueRepresentation.isCodeStringVR(vr)) {
            attribute.addValue("ORIGINAL");
        } else if (ValueRepresentation.isUniversalResourceVR(vr)) {
            attribute.addValue("http://example.org/" + FAMILY_NAME);
        } else if (DescriptorCleaner.textual(vr)) {
            attribute.addValue(text(index));
        } else if (ValueRepresentation.isFloatSingleVR(vr) || ValueRepresentation.isFloatDoubleVR(vr)) {
            attribute.addValue(1.5d);
        } else if (ValueRepresentation.isAttributeTagVR(vr)) {
            attribute.setValues(new short[] {0x0010, 0x0010});
        } else if (ValueRepresentation.isOtherByteVR(vr) || ValueRepresentation.isUnknownVR(vr)) {
            attribute.setValues(new byte[] {1, 2, 3, 4}, false);
        } else if (ValueRepresentation.isOtherWordVR(vr)) {
            attribute.setValues(new short[] {1, 2});
        } else if (ValueRepresentation.isOtherFloatVR(vr)) {
            attribute.setValues(new float[] {1.5f});
        } else if (ValueRepresentation.isOtherDoubleVR(vr)) {
            attribute.setValues(new double[] {1.5d});
        } else if (ValueRepresentation.isOtherLongVR(vr)) {
            attribute.setValues(new int[] {7});
        } else if (ValueRepresentation.isOtherVeryLongVR(vr)) {
            attribute.setValues(new long[] {7L});
        } else {
            attribute.addValue(7);
        }
        return attribute;
    }

    private static void put(AttributeList list, AttributeTag tag, byte[] vr, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag, vr);
        attribute.addValue(value);
        list.put(attribute);
    }
}
