package org.dicomweb.gateway.core.deid;

/** What the profile does to one attribute (PS3.15 Table E.1-1a), after the table's combined codes are resolved. */
enum Action {
    /** D: replace with a non-zero-length dummy value of the attribute's VR. */
    DUMMY,
    /** Z: replace with a zero-length value. */
    ZERO,
    /** X: remove. */
    REMOVE,
    /** K: keep (a sequence's items are still de-identified, §E.1.1). */
    KEEP,
    /** C: keep a value of similar meaning without identifying information (descriptors cleaned, dates shifted). */
    CLEAN,
    /** U: replace a UID by its pseudonym, consistently within the data set and across data sets. */
    UID;

    /**
     * One code of the table. Combined codes leave the choice to the IOD's attribute type, which a table-driven
     * engine does not know (the same attribute is Type 1 in one IOD and Type 3 in another): it takes the choice that
     * keeps every IOD valid, a dummy where D is allowed (Type 1 stays present and non-empty), else zero length (Type
     * 2 stays present). X/Z/U* (a sequence of references) keeps the sequence with its UIDs replaced.
     */
    static Action of(String code) {
        return switch (code) {
            case "D", "Z/D", "X/D", "X/Z/D" -> DUMMY;
            case "Z", "X/Z" -> ZERO;
            case "X" -> REMOVE;
            case "K" -> KEEP;
            case "C" -> CLEAN;
            case "U", "X/Z/U*" -> UID;
            default -> throw new IllegalArgumentException("unknown action code '" + code + "' in PS3.15 Table E.1-1");
        };
    }
}
