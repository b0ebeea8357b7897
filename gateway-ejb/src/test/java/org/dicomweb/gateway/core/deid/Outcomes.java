package org.dicomweb.gateway.core.deid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * What two de-identifications did to each attribute of the same original, compared by outcome (not by value: both
 * sides make their own pseudonyms): at every depth, through the items of sequences both kept. The file meta
 * information is each writer's own, so only its Media Storage SOP Instance UID is compared.
 */
final class Outcomes {

    enum Outcome {
        REMOVED, EMPTIED, KEPT, CHANGED, ADDED, ABSENT;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One attribute treated differently: its path (tags, through sequence items), ours and the other's outcome. */
    record Difference(String path, AttributeTag tag, Outcome ours, Outcome theirs) {
        @Override
        public String toString() {
            String name = DicomDictionary.StandardDictionary.getNameFromTag(tag);
            return path + " " + (name == null ? "" : name) + ": ours " + ours.word() + ", Orthanc's " + theirs.word();
        }
    }

    private Outcomes() {
    }

    /** As the standard writes a tag: (0008,0050). */
    static String text(AttributeTag tag) {
        return String.format("(%04X,%04X)", tag.getGroup(), tag.getElement());
    }

    static List<Difference> differences(AttributeList original, AttributeList ours, AttributeList theirs)
            throws DicomException {
        List<Difference> differences = new ArrayList<>();
        walk("", original, ours, theirs, differences);
        return differences;
    }

    private static void walk(String path, AttributeList original, AttributeList ours, AttributeList theirs,
            List<Difference> differences) throws DicomException {
        TreeSet<AttributeTag> tags = new TreeSet<>(original.keySet());
        tags.addAll(ours.keySet());
        tags.addAll(theirs.keySet());
        for (AttributeTag tag : tags) {
            if (tag.isGroupLength() || tag.getGroup() == 0x0002 && !tag.equals(TagFromName.MediaStorageSOPInstanceUID)) {
                continue;
            }
            Attribute before = original.get(tag);
            Outcome our = outcome(before, ours.get(tag));
            Outcome their = outcome(before, theirs.get(tag));
            String here = path + text(tag);
            if (our != their) {
                differences.add(new Difference(here, tag, our, their));
            } else if (before instanceof SequenceAttribute sequence && our == Outcome.KEPT) {
                SequenceAttribute a = (SequenceAttribute) ours.get(tag);
                SequenceAttribute b = (SequenceAttribute) theirs.get(tag);
                for (int i = 0; i < sequence.getNumberOfItems(); i++) {
                    walk(here + "/", sequence.getItem(i).getAttributeList(), a.getItem(i).getAttributeList(),
                            b.getItem(i).getAttributeList(), differences);
                }
            }
        }
    }

    private static Outcome outcome(Attribute before, Attribute after) throws DicomException {
        if (after == null) {
            return before == null ? Outcome.ABSENT : Outcome.REMOVED;
        }
        if (before == null) {
            return Outcome.ADDED;
        }
        if (after instanceof SequenceAttribute sequence) {
            int items = ((SequenceAttribute) before).getNumberOfItems();
            return sequence.getNumberOfItems() == 0 && items > 0 ? Outcome.EMPTIED
                    : sequence.getNumberOfItems() == items ? Outcome.KEPT : Outcome.CHANGED;
        }
        if (after.getVL() == 0) {
            return before.getVL() == 0 ? Outcome.KEPT : Outcome.EMPTIED;
        }
        boolean same = Arrays.equals(trimmed(before), trimmed(after));
        return same ? Outcome.KEPT : Outcome.CHANGED;
    }

    private static String[] trimmed(Attribute attribute) throws DicomException {
        byte[] vr = attribute.getVR();
        if (ValueRepresentation.isOtherByteOrWordVR(vr) || ValueRepresentation.isOtherFloatVR(vr)
                || ValueRepresentation.isOtherDoubleVR(vr) || ValueRepresentation.isOtherLongVR(vr)
                || ValueRepresentation.isOtherVeryLongVR(vr) || ValueRepresentation.isUnknownVR(vr)) {
            return new String[] {Arrays.toString(encoded(attribute))};
        }
        return Arrays.stream(Attribute.getStringValues(attribute)).map(String::trim).toArray(String[]::new);
    }

    /** The attribute as Explicit VR Little Endian bytes: how values of any VR compare. */
    static byte[] encoded(Attribute attribute) throws DicomException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            attribute.write(new DicomOutputStream(out, null, TransferSyntax.ExplicitVRLittleEndian));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
