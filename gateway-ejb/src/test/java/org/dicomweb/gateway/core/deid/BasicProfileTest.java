package org.dicomweb.gateway.core.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import org.dicomweb.gateway.testdata.CtImages;
import org.junit.jupiter.api.Test;

/** Consistency, validity and referential integrity of the pseudonyms, and the engine's other rules. */
class BasicProfileTest {

    private static final byte[] SECRET = TableE11Test.SECRET;
    private static final byte[] OTHER_SECRET = "another secret of at least thirty-two bytes".getBytes(
            StandardCharsets.UTF_8);
    private static final String UID_SYNTAX = "(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*";
    private static final DeidentificationOptions BASIC = new DeidentificationOptions(false, false, false, false,
            false, Set.of(), false);

    private static Deidentification profile(DeidentificationOptions options, byte[] secret, String ae) {
        return BasicProfile.of(ae, options, secret, new KeyedHashPseudonyms(secret, ae));
    }

    private static AttributeList ct(String patientId, String study, String instance) throws Exception {
        AttributeList list = CtImages.image("1.2.3." + study, "1.2.3." + study + ".1", "1.2.3." + instance, 1, 1, 1,
                new short[] {0});
        CtImages.put(list, TagFromName.PatientID, patientId);
        CtImages.put(list, TagFromName.PatientName, "Doe^John");
        CtImages.put(list, TagFromName.StudyDate, "20200315");
        CtImages.put(list, TagFromName.SeriesDate, "20200316");
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        return list;
    }

    private static String value(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    private static List<String> pseudonyms(AttributeList list) {
        return List.of(value(list, TagFromName.StudyInstanceUID), value(list, TagFromName.SeriesInstanceUID),
                value(list, TagFromName.SOPInstanceUID), value(list, TagFromName.PatientID),
                value(list, TagFromName.PatientName));
    }

    private static AttributeList deidentified(Deidentification profile, AttributeList list) throws Exception {
        profile.apply(list);
        return list;
    }

    @Test
    void sameInputGivesSamePseudonymsAndOtherSecretOrAeOthers() throws Exception {
        List<String> first = pseudonyms(deidentified(profile(BASIC, SECRET, "AE1"), ct("P1", "10", "11")));
        List<String> again = pseudonyms(deidentified(profile(BASIC, SECRET, "AE1"), ct("P1", "10", "11")));
        List<String> otherSecret = pseudonyms(deidentified(profile(BASIC, OTHER_SECRET, "AE1"), ct("P1", "10", "11")));
        List<String> otherAe = pseudonyms(deidentified(profile(BASIC, SECRET, "AE2"), ct("P1", "10", "11")));
        assertEquals(first, again);
        for (int i = 0; i < first.size(); i++) {
            assertNotEquals(first.get(i), otherSecret.get(i), "another secret, another pseudonym");
            assertNotEquals(first.get(i), otherAe.get(i), "another AE, another pseudonym");
        }
        assertTrue(first.get(3).matches("PSN-[A-Z2-7]{16}"), first.get(3));
        assertEquals("PSEUDONYM^" + first.get(3), first.get(4));
    }

    @Test
    void uidsAreValidUuidDerivedUidsMappedAlikeEverywhere() throws Exception {
        Deidentification profile = profile(BASIC, SECRET, "AE1");
        AttributeList image = ct("P1", "10", "11");
        SequenceAttribute references = new SequenceAttribute(TagFromName.ReferencedImageSequence);
        AttributeList reference = new AttributeList();
        CtImages.put(reference, TagFromName.ReferencedSOPClassUID, SOPClass.CTImageStorage);
        CtImages.put(reference, TagFromName.ReferencedSOPInstanceUID, "1.2.3.12");
        references.addItem(reference);
        image.put(references);
        AttributeList referenced = deidentified(profile, ct("P1", "10", "12"));
        profile.apply(image);

        String uid = value(image, TagFromName.SOPInstanceUID);
        assertTrue(uid.matches(UID_SYNTAX) && uid.startsWith("2.25.") && uid.length() <= 64, uid);
        assertEquals(profile.uid("1.2.3.11"), uid);
        assertEquals(uid, value(image, TagFromName.MediaStorageSOPInstanceUID));
        assertEquals(value(referenced, TagFromName.SOPInstanceUID), value(((SequenceAttribute) image.get(
                TagFromName.ReferencedImageSequence)).getItem(0).getAttributeList(),
                TagFromName.ReferencedSOPInstanceUID), "a reference maps like the instance it references");
        assertEquals(SOPClass.CTImageStorage, value(image, TagFromName.SOPClassUID), "SOP classes are not pseudonyms");
        assertEquals(value(referenced, TagFromName.StudyInstanceUID), value(image, TagFromName.StudyInstanceUID));
        assertEquals("1.2.3.11", profile(TableE11Test.options(true, false, false, false, false), SECRET, "AE1")
                .uid("1.2.3.11"));
    }

    @Test
    void theFileStaysAValidPart10File() throws Exception {
        AttributeList image = deidentified(profile(BASIC, SECRET, "AE1"), ct("P1", "10", "11"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        image.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        AttributeList read = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            read.read(in);
        }
        assertEquals(value(image, TagFromName.SOPInstanceUID), value(read, TagFromName.MediaStorageSOPInstanceUID));
        assertEquals("YES", value(read, TagFromName.PatientIdentityRemoved));
    }

    @Test
    void datesOfOnePatientMoveByOneOffsetAcrossStudies() throws Exception {
        Deidentification profile = profile(TableE11Test.options(false, true, false, false, false), SECRET, "AE1");
        AttributeList first = deidentified(profile, ct("P1", "10", "11"));
        AttributeList second = ct("P1", "20", "21");
        CtImages.put(second, TagFromName.StudyDate, "20210101");
        profile.apply(second);
        AttributeList otherPatient = deidentified(profile, ct("P2", "30", "31"));
        long shift = daysBefore("20200315", value(first, TagFromName.StudyDate));
        assertTrue(shift >= 1 && shift <= DateShift.MAXIMUM_DAYS, "shift " + shift);
        assertEquals(shift, daysBefore("20200316", value(first, TagFromName.SeriesDate)));
        assertEquals(shift, daysBefore("20210101", value(second, TagFromName.StudyDate)));
        assertNotEquals(shift, daysBefore("20200315", value(otherPatient, TagFromName.StudyDate)));
        assertEquals("MODIFIED", value(first, TagFromName.LongitudinalTemporalInformationModified));
        assertEquals("", value(deidentified(profile(BASIC, SECRET, "AE1"), ct("P1", "10", "11")),
                TagFromName.StudyDate), "the basic profile empties the study date (Z)");
    }

    private static long daysBefore(String original, String shifted) {
        return java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse(shifted,
                java.time.format.DateTimeFormatter.BASIC_ISO_DATE), java.time.LocalDate.parse(original,
                java.time.format.DateTimeFormatter.BASIC_ISO_DATE));
    }

    @Test
    void methodCodesNameTheProfileAndEachOptionUsed() throws Exception {
        AttributeList basic = deidentified(profile(BASIC, SECRET, "AE1"), ct("P1", "10", "11"));
        assertEquals(List.of("113100"), codes(basic));
        assertEquals("REMOVED", value(basic, TagFromName.LongitudinalTemporalInformationModified));
        assertEquals("YES", value(basic, TagFromName.PatientIdentityRemoved));
        DeidentificationOptions all = new DeidentificationOptions(true, true, true, true, true,
                Set.of(SyntheticDataSet.SAFE_PRIVATE_ENTRY), false);
        AttributeList everything = deidentified(profile(all, SECRET, "AE1"), ct("P1", "10", "11"));
        assertEquals(List.of("113100", "113110", "113109", "113108", "113107", "113105", "113111"),
                codes(everything));
        assertEquals(7, Attribute.getStringValues(everything, TagFromName.DeidentificationMethod).length);
    }

    private static List<String> codes(AttributeList list) {
        SequenceAttribute sequence = (SequenceAttribute) list.get(TagFromName.DeidentificationMethodCodeSequence);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < sequence.getNumberOfItems(); i++) {
            AttributeList item = sequence.getItem(i).getAttributeList();
            assertEquals("DCM", value(item, TagFromName.CodingSchemeDesignator));
            codes.add(value(item, TagFromName.CodeValue));
        }
        return codes;
    }

    @Test
    void privateAttributesGoUnlessSafe() throws Exception {
        AttributeList plain = privateAttributes();
        profile(BASIC, SECRET, "AE1").apply(plain);
        assertNull(plain.get(SyntheticDataSet.PRIVATE_CREATOR));
        assertNull(plain.get(SyntheticDataSet.PRIVATE_SAFE));
        AttributeList safe = privateAttributes();
        profile(new DeidentificationOptions(false, false, false, false, false,
                Set.of(SyntheticDataSet.SAFE_PRIVATE_ENTRY), false), SECRET, "AE1").apply(safe);
        assertEquals("ACME IMAGING", value(safe, SyntheticDataSet.PRIVATE_CREATOR));
        assertEquals("kept", value(safe, SyntheticDataSet.PRIVATE_SAFE));
        assertNull(safe.get(SyntheticDataSet.PRIVATE_UNSAFE));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> profile(
                new DeidentificationOptions(false, false, false, false, false, Set.of("0010,ACME,10"), false),
                SECRET, "AE1"));
        assertTrue(bad.getMessage().contains("0010,ACME,10"), bad.getMessage());
    }

    private static AttributeList privateAttributes() throws Exception {
        AttributeList list = ct("P1", "10", "11");
        for (String[] attribute : new String[][] {{"0010", "ACME IMAGING"}, {"1010", "kept"}, {"1011", "Doe"}}) {
            LongStringAttribute value = new LongStringAttribute(new AttributeTag(0x0009,
                    Integer.parseInt(attribute[0], 16)));
            value.addValue(attribute[1]);
            list.put(value);
        }
        return list;
    }

    @Test
    void burnedInAnnotationIsRefusedUnlessPassed() throws Exception {
        Deidentification profile = profile(BASIC, SECRET, "AE1");
        AttributeList yes = ct("P1", "10", "11");
        CtImages.put(yes, TagFromName.BurnedInAnnotation, "YES");
        BurnedInAnnotationRefused refused = assertThrows(BurnedInAnnotationRefused.class, () -> profile.apply(yes));
        assertTrue(refused.getMessage().contains("BurnedInAnnotation YES"), refused.getMessage());
        assertEquals("P1", value(yes, TagFromName.PatientID), "a refused data set is left as it was");

        AttributeList capture = ct("P1", "10", "11");
        CtImages.put(capture, TagFromName.SOPClassUID, SOPClass.SecondaryCaptureImageStorage);
        refused = assertThrows(BurnedInAnnotationRefused.class, () -> profile.apply(capture));
        assertTrue(refused.getMessage().contains("Secondary Capture Image without BurnedInAnnotation"),
                refused.getMessage());
        CtImages.put(capture, TagFromName.BurnedInAnnotation, "NO");
        profile.apply(capture);

        AttributeList pdf = ct("P1", "10", "11");
        CtImages.put(pdf, TagFromName.SOPClassUID, SOPClass.EncapsulatedPDFStorage);
        CtImages.put(pdf, TagFromName.BurnedInAnnotation, "NO");
        assertThrows(BurnedInAnnotationRefused.class, () -> profile.apply(pdf));

        profile(new DeidentificationOptions(false, false, false, false, false, Set.of(), true), SECRET, "AE1")
                .apply(yes);
        assertTrue(value(yes, TagFromName.PatientID).startsWith("PSN-"));
        profile.apply(ct("P1", "10", "11"));
    }

    @Test
    void descriptorsLoseTheIdentifiersTheDataSetHolds() throws Exception {
        AttributeList list = ct("12345", "10", "11");
        CtImages.put(list, TagFromName.StudyDescription, "CT head for john DOE, patient 12345");
        profile(TableE11Test.options(false, false, false, false, true), SECRET, "AE1").apply(list);
        assertEquals("CT head for , patient", value(list, TagFromName.StudyDescription));
    }

    @Test
    void attributesWithoutValueAreNoTrouble() throws Exception {
        AttributeList list = ct("P1", "10", "11");
        for (AttributeTag tag : List.of(TagFromName.StudyDescription, TagFromName.ReferringPhysicianName,
                TagFromName.FrameOfReferenceUID, TagFromName.AcquisitionDate, TagFromName.DeidentificationMethod)) {
            list.put(com.pixelmed.dicom.AttributeFactory.newAttribute(tag));
        }
        profile(TableE11Test.options(false, true, true, true, true), SECRET, "AE1").apply(list);
        assertEquals(0, list.get(TagFromName.FrameOfReferenceUID).getVL());
        assertEquals(0, list.get(TagFromName.StudyDescription).getVL());
        assertEquals("YES", value(list, TagFromName.PatientIdentityRemoved));
    }

    @Test
    void matchingOnlyOnWhatIsKeptAndOnUids() {
        Deidentification basic = profile(BASIC, SECRET, "AE1");
        assertFalse(basic.matchable(TagFromName.PatientID));
        assertFalse(basic.matchable(TagFromName.PatientName));
        assertFalse(basic.matchable(TagFromName.StudyDate));
        assertFalse(basic.matchable(TagFromName.AccessionNumber));
        assertFalse(basic.matchable(TagFromName.PatientSex));
        assertFalse(basic.matchable(SyntheticDataSet.PRIVATE_SAFE));
        assertTrue(basic.matchable(TagFromName.StudyInstanceUID));
        assertTrue(basic.matchable(TagFromName.Modality));
        assertTrue(basic.matchable(TagFromName.SOPClassUID));
        Deidentification characteristics = profile(TableE11Test.options(false, true, true, false, false), SECRET,
                "AE1");
        assertTrue(characteristics.matchable(TagFromName.PatientSex));
        assertFalse(characteristics.matchable(TagFromName.StudyDate), "shifted dates cannot be matched");
    }

    @Test
    void aShortSecretIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> profile(BASIC, "short".getBytes(StandardCharsets.UTF_8), "AE1"));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }
}
