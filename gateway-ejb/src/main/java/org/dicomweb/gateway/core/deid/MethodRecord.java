package org.dicomweb.gateway.core.deid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * What a de-identified data set says about its de-identification (PS3.15 §E.1.1 and PS3.3 C.7.1.1): Patient
 * Identity Removed YES; De-identification Method, one value per profile and option; the De-identification Method
 * Code Sequence with their PS3.16 CID 7050 codes (DCM); Longitudinal Temporal Information Modified: MODIFIED when
 * dates are shifted, REMOVED when the basic profile takes them away. Items of an earlier de-identification, if any,
 * stay and ours are added.
 */
final class MethodRecord {

    private final List<String[]> codes = new ArrayList<>();
    private final String temporal;

    MethodRecord(Set<ProfileOption> chosen, boolean safePrivate) {
        codes.add(new String[] {ProfileOption.BASIC_PROFILE_CODE, ProfileOption.BASIC_PROFILE_MEANING});
        for (ProfileOption option : chosen) {
            codes.add(new String[] {option.code, option.meaning});
        }
        if (safePrivate) {
            ProfileOption option = ProfileOption.RETAIN_SAFE_PRIVATE;
            codes.add(new String[] {option.code, option.meaning});
        }
        temporal = chosen.contains(ProfileOption.RETAIN_LONGITUDINAL_MODIFIED_DATES) ? "MODIFIED" : "REMOVED";
    }

    void write(AttributeList list) throws DicomException {
        put(list, TagFromName.PatientIdentityRemoved, "YES");
        put(list, TagFromName.LongitudinalTemporalInformationModified, temporal);
        Attribute method = list.get(TagFromName.DeidentificationMethod);
        String[] previous = method == null ? null : Attribute.getStringValues(method);
        List<String> methods = new ArrayList<>(previous == null ? List.of() : Arrays.asList(previous));
        Attribute sequence = list.get(TagFromName.DeidentificationMethodCodeSequence);
        SequenceAttribute items = sequence instanceof SequenceAttribute earlier ? earlier
                : new SequenceAttribute(TagFromName.DeidentificationMethodCodeSequence);
        for (String[] code : codes) {
            methods.add(code[1]);
            AttributeList item = new AttributeList();
            put(item, TagFromName.CodeValue, code[0]);
            put(item, TagFromName.CodingSchemeDesignator, "DCM");
            put(item, TagFromName.CodeMeaning, code[1]);
            items.addItem(item);
        }
        Attribute methodValues = AttributeFactory.newAttribute(TagFromName.DeidentificationMethod);
        for (String value : methods) {
            methodValues.addValue(value);
        }
        list.put(methodValues);
        list.put(items);
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }
}
