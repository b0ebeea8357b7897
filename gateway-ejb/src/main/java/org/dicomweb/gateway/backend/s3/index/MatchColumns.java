package org.dicomweb.gateway.backend.s3.index;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/**
 * How an attribute's value goes into a matching column of the index (s3_study.patient_id, s3_series.modality, ...),
 * so that {@link SearchFilter}'s SQL can only narrow a search to a superset of what the core's matcher accepts. A
 * column holds one value; a row whose attribute it cannot hold faithfully (several values, a number no INTEGER holds)
 * is marked {@code irregular}, and SQL never filters such a row out: the matcher decides.
 */
final class MatchColumns {

    private MatchColumns() {
    }

    /** The attribute's first value without padding, null if absent or empty. */
    static String text(AttributeList data, AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrEmptyString(data, tag).strip();
        return value.isEmpty() ? null : value;
    }

    /** A person name, case-folded as {@link #fold} does. */
    static String name(AttributeList data, AttributeTag tag) {
        String value = text(data, tag);
        return value == null ? null : fold(value);
    }

    static Integer number(AttributeList data, AttributeTag tag) {
        String value = text(data, tag);
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null; // not a number an INTEGER holds: irregular(), still stored in the attributes
        }
    }

    /** Whether a column of these attributes would not hold the value the matcher sees. */
    static boolean irregular(AttributeList data, AttributeTag... tags) {
        for (AttributeTag tag : tags) {
            Attribute attribute = data.get(tag);
            if (attribute != null && attribute.getVM() > 1) {
                return true;
            }
        }
        return false;
    }

    /** {@link #irregular} also when a numeric attribute's value is present but no INTEGER. */
    static boolean irregularNumber(AttributeList data, AttributeTag tag) {
        return irregular(data, tag) || text(data, tag) != null && number(data, tag) == null;
    }

    /**
     * Upper case, code point by code point, through lower case first: two characters the matcher's case-insensitive
     * comparison (java.util.regex, UNICODE_CASE: equal after toUpperCase then toLowerCase) takes as equal fold to
     * the same character, and the length never changes (String.toUpperCase makes "SS" of "ß"). For ASCII it is
     * plain upper case.
     */
    static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().map(c -> Character.toUpperCase(Character.toLowerCase(Character.toUpperCase(c))))
                .forEach(folded::appendCodePoint);
        return folded.toString();
    }
}
