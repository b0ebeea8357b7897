package org.dicomweb.gateway.core.deid;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * One data set through the table: each attribute gets its row's action under the chosen options, at every depth (an
 * attribute in a sequence item is treated as it would be at the top, §E.1.1); attributes the table does not list are
 * kept; private attributes are removed unless safe.
 */
final class ProfileRun {

    private final ProfileTable table;
    private final Set<ProfileOption> chosen;
    private final UnaryOperator<String> uids;
    private final DateShift dates;
    private final DescriptorCleaner cleaner;
    private final SafePrivateTags safePrivate;

    /** @param dates the patient's date shift, or null when dates are not retained (C then never reaches a date) */
    ProfileRun(ProfileTable table, Set<ProfileOption> chosen, UnaryOperator<String> uids, DateShift dates,
            DescriptorCleaner cleaner, SafePrivateTags safePrivate) {
        this.table = table;
        this.chosen = chosen;
        this.uids = uids;
        this.dates = dates;
        this.cleaner = cleaner;
        this.safePrivate = safePrivate;
    }

    void walk(AttributeList list) throws DicomException {
        List<AttributeTag> unsafePrivate = new ArrayList<>();
        for (Attribute attribute : new ArrayList<>(list.values())) {
            AttributeTag tag = attribute.getTag();
            if (tag.isPrivate()) {
                // decided before any is removed: a data element's creator must still be there to be read
                if (!safePrivate.keeps(list, tag)) {
                    unsafePrivate.add(tag);
                }
                continue;
            }
            ProfileRow row = table.row(tag);
            apply(list, attribute, row == null ? Action.KEEP : row.action(chosen));
        }
        unsafePrivate.forEach(list::remove);
    }

    private void apply(AttributeList list, Attribute attribute, Action action) throws DicomException {
        AttributeTag tag = attribute.getTag();
        if (action == Action.REMOVE) {
            list.remove(tag);
        } else if (attribute instanceof SequenceAttribute sequence) {
            if (action == Action.ZERO) {
                list.put(new SequenceAttribute(tag));
            } else {
                for (SequenceItem item : (Iterable<SequenceItem>) sequence::iterator) {
                    walk(item.getAttributeList());
                }
            }
        } else if (action == Action.ZERO) {
            attribute.removeValues();
        } else if (action == Action.DUMMY || action == Action.UID) {
            if (ValueRepresentation.isUniqueIdentifierVR(attribute.getVR())) {
                mapUids(attribute);
            } else {
                list.put(DummyValues.of(tag, attribute.getVR()));
            }
        } else if (action == Action.CLEAN) {
            clean(attribute);
        }
    }

    private void mapUids(Attribute attribute) throws DicomException {
        String[] originals = Attribute.getStringValues(attribute);
        if (originals == null) {
            return; // no value to map
        }
        attribute.removeValues();
        for (String original : originals) {
            attribute.addValue(uids.apply(original));
        }
    }

    /**
     * Dates shifted when dates are retained (a value that is not a full date is removed: it cannot be shifted); text
     * cleaned (a value left empty is removed); times and values of other VRs kept.
     */
    private void clean(Attribute attribute) throws DicomException {
        byte[] vr = attribute.getVR();
        boolean date = ValueRepresentation.isDateVR(vr);
        if (dates != null && (date || ValueRepresentation.isDateTimeVR(vr))) {
            replace(attribute, value -> date ? dates.date(value) : dates.dateTime(value));
        } else if (DescriptorCleaner.textual(vr)) {
            replace(attribute, value -> {
                String cleaned = cleaner.clean(value);
                return cleaned.isEmpty() ? null : cleaned;
            });
        }
    }

    /** Each value replaced; if any has no replacement (null), the attribute is left with none. */
    private static void replace(Attribute attribute, UnaryOperator<String> replacement) throws DicomException {
        List<String> values = new ArrayList<>();
        String[] originals = Attribute.getStringValues(attribute);
        if (originals == null) {
            return; // no value to replace
        }
        for (String original : originals) {
            String value = replacement.apply(original);
            if (value == null) {
                attribute.removeValues();
                return;
            }
            values.add(value);
        }
        attribute.removeValues();
        for (String value : values) {
            attribute.addValue(value);
        }
    }
}
