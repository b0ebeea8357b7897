package org.dicomweb.gateway.core.deid;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * The D action's value: one value valid for the VR and obviously not real — text "ANONYMIZED", the date 1900-01-01,
 * midnight, zero for numbers, two zero bytes for binary VRs. UIDs and sequences never come here (they are mapped and
 * recursed into).
 */
final class DummyValues {

    static final String TEXT = "ANONYMIZED";
    static final String DATE = "19000101";
    static final String TIME = "000000";
    static final String DATE_TIME = "19000101000000";
    static final String AGE = "000Y";

    private DummyValues() {
    }

    static Attribute of(AttributeTag tag, byte[] vr) throws DicomException {
        Attribute dummy = AttributeFactory.newAttribute(tag, vr);
        if (ValueRepresentation.isDateVR(vr)) {
            dummy.addValue(DATE);
        } else if (ValueRepresentation.isTimeVR(vr)) {
            dummy.addValue(TIME);
        } else if (ValueRepresentation.isDateTimeVR(vr)) {
            dummy.addValue(DATE_TIME);
        } else if (ValueRepresentation.isAgeStringVR(vr)) {
            dummy.addValue(AGE);
        } else if (ValueRepresentation.isDecimalStringVR(vr) || ValueRepresentation.isIntegerStringVR(vr)) {
            dummy.addValue("0");
        } else if (ValueRepresentation.isUniversalResourceVR(vr)) {
            dummy.addValue("urn:anonymized");
        } else if (DescriptorCleaner.textual(vr) || ValueRepresentation.isCodeStringVR(vr)) {
            dummy.addValue(TEXT);
        } else if (ValueRepresentation.isFloatSingleVR(vr) || ValueRepresentation.isFloatDoubleVR(vr)) {
            dummy.addValue(0.0d);
        } else if (ValueRepresentation.isAttributeTagVR(vr)) {
            dummy.setValues(new short[] {0, 0});
        } else if (binary(vr)) {
            dummy.setValues(new byte[2], false);
        } else {
            dummy.addValue(0);
        }
        return dummy;
    }

    private static boolean binary(byte[] vr) {
        return ValueRepresentation.isOtherByteVR(vr) || ValueRepresentation.isOtherWordVR(vr)
                || ValueRepresentation.isOtherFloatVR(vr) || ValueRepresentation.isOtherDoubleVR(vr)
                || ValueRepresentation.isOtherLongVR(vr) || ValueRepresentation.isOtherVeryLongVR(vr)
                || ValueRepresentation.isUnknownVR(vr) || ValueRepresentation.isOtherUnspecifiedVR(vr);
    }
}
