package org.dicomweb.gateway.core.deid;

import java.util.EnumSet;
import java.util.Set;

/**
 * The option columns of PS3.15 Table E.1-1, each with the column header of the table resource and its code in
 * PS3.16 CID 7050 "De-identification Method". Only some are offered to users ({@link #chosen}); the others are here
 * because the table has their columns.
 */
enum ProfileOption {
    RETAIN_SAFE_PRIVATE("retain-safe-private", "113111", "Retain Safe Private Option"),
    RETAIN_UIDS("retain-uids", "113110", "Retain UIDs Option"),
    RETAIN_DEVICE_IDENTITY("retain-device-identity", "113109", "Retain Device Identity Option"),
    RETAIN_INSTITUTION_IDENTITY("retain-institution-identity", "113112", "Retain Institution Identity Option"),
    RETAIN_PATIENT_CHARACTERISTICS("retain-patient-characteristics", "113108",
            "Retain Patient Characteristics Option"),
    RETAIN_LONGITUDINAL_FULL_DATES("retain-longitudinal-full-dates", "113106",
            "Retain Longitudinal Temporal Information Full Dates Option"),
    RETAIN_LONGITUDINAL_MODIFIED_DATES("retain-longitudinal-modified-dates", "113107",
            "Retain Longitudinal Temporal Information Modified Dates Option"),
    CLEAN_DESCRIPTORS("clean-descriptors", "113105", "Clean Descriptors Option"),
    CLEAN_STRUCTURED_CONTENT("clean-structured-content", "113104", "Clean Structured Content Option"),
    CLEAN_GRAPHICS("clean-graphics", "113103", "Clean Graphics Option");

    /** CID 7050's code of the profile itself. */
    static final String BASIC_PROFILE_CODE = "113100";
    static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";

    final String column;
    final String code;
    final String meaning;

    ProfileOption(String column, String code, String meaning) {
        this.column = column;
        this.code = code;
        this.meaning = meaning;
    }

    /**
     * The options an AE's settings choose. Safe private attributes are kept through {@link SafePrivateTags}, not
     * through the table's column (whose "C" would leave the choice of what is safe to us): the column is not chosen.
     */
    static Set<ProfileOption> chosen(DeidentificationOptions options) {
        Set<ProfileOption> chosen = EnumSet.noneOf(ProfileOption.class);
        if (options.retainUids()) {
            chosen.add(RETAIN_UIDS);
        }
        if (options.retainLongitudinalModifiedDates()) {
            chosen.add(RETAIN_LONGITUDINAL_MODIFIED_DATES);
        }
        if (options.retainPatientCharacteristics()) {
            chosen.add(RETAIN_PATIENT_CHARACTERISTICS);
        }
        if (options.retainDeviceIdentity()) {
            chosen.add(RETAIN_DEVICE_IDENTITY);
        }
        if (options.cleanDescriptors()) {
            chosen.add(CLEAN_DESCRIPTORS);
        }
        return chosen;
    }
}
