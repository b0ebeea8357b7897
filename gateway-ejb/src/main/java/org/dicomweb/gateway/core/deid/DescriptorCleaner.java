package org.dicomweb.gateway.core.deid;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.ValueRepresentation;

/**
 * The C action on text (PS3.15 §E.3.5, Clean Descriptors; also the C of Retain Patient Characteristics and Retain
 * Device Identity): a descriptor keeps its meaning but loses what identifies. What identifies is taken from the data
 * set itself: every value (at least 3 characters; a name also by its components) that the profile removes or
 * replaces — names, IDs, dates, institution, accession number... — is cut out of the descriptor, case-insensitively.
 * Identifiers the data set does not hold elsewhere cannot be recognised this way; docs/deidentification.md says so.
 */
final class DescriptorCleaner {

    private static final int SHORTEST = 3;
    private static final Pattern NAME_COMPONENTS = Pattern.compile("[\\^=]");

    /** A cleaner for runs that clean nothing. */
    static final DescriptorCleaner NONE = new DescriptorCleaner(null);

    private final Pattern identifying;

    private DescriptorCleaner(Pattern identifying) {
        this.identifying = identifying;
    }

    /** Collects the identifying values of {@code dataSet} (before it is changed) as the profile would treat them. */
    static DescriptorCleaner of(AttributeList dataSet, ProfileTable table, Set<ProfileOption> chosen) {
        Set<String> values = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        collect(dataSet, table, chosen, values);
        if (values.isEmpty()) {
            return NONE;
        }
        StringBuilder alternatives = new StringBuilder();
        for (String value : values) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(value));
        }
        return new DescriptorCleaner(Pattern.compile(alternatives.toString(),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }

    private static void collect(AttributeList list, ProfileTable table, Set<ProfileOption> chosen,
            Set<String> values) {
        for (Attribute attribute : list.values()) {
            if (attribute instanceof SequenceAttribute sequence) {
                for (SequenceItem item : (Iterable<SequenceItem>) sequence::iterator) {
                    collect(item.getAttributeList(), table, chosen, values);
                }
                continue;
            }
            if (attribute.getTag().isPrivate() || !textual(attribute.getVR())) {
                continue;
            }
            ProfileRow row = table.row(attribute.getTag());
            Action action = row == null ? Action.KEEP : row.action(chosen);
            String[] strings = Attribute.getStringValues(attribute); // null: an attribute without value
            if ((action == Action.DUMMY || action == Action.ZERO || action == Action.REMOVE) && strings != null) {
                for (String value : strings) {
                    add(value, values);
                    if (ValueRepresentation.isPersonNameVR(attribute.getVR())) {
                        for (String component : NAME_COMPONENTS.split(value)) {
                            add(component, values);
                        }
                    }
                }
            }
        }
    }

    private static void add(String value, Set<String> values) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.length() >= SHORTEST) {
            values.add(trimmed);
        }
    }

    static boolean textual(byte[] vr) {
        return ValueRepresentation.isAffectedBySpecificCharacterSet(vr) || ValueRepresentation.isDateVR(vr)
                || ValueRepresentation.isDateTimeVR(vr) || ValueRepresentation.isApplicationEntityVR(vr);
    }

    /** The descriptor without the identifying values (runs of blanks they leave collapsed); may be empty. */
    String clean(String value) {
        if (identifying == null || value == null) {
            return value;
        }
        return identifying.matcher(value).replaceAll("").replaceAll("\\s{2,}", " ").trim();
    }
}
