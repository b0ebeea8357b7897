package org.dicomweb.gateway.core.deid;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Retain Longitudinal Temporal Information with Modified Dates (PS3.15 §E.3.6): every date of a patient moves the
 * same number of days into the past, so intervals between studies of the patient survive while the calendar dates do
 * not. The offset, 1 to {@value #MAXIMUM_DAYS} days, comes from the keyed hash of the patient's issuer and ID: the
 * same for every study of the patient, on every node and after restarts. Whole days only, so times of day (TM) stay
 * as they are and a date and its time (StudyDate, StudyTime) stay a pair.
 */
final class DateShift {

    static final int MAXIMUM_DAYS = 3652;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final int days;

    private DateShift(int days) {
        this.days = days;
    }

    static DateShift forPatient(KeyedHash hash, String issuerOfPatientId, String patientId) {
        int bits = ByteBuffer.wrap(hash.digest("date-offset", trim(issuerOfPatientId), trim(patientId))).getInt();
        return new DateShift(1 + Integer.remainderUnsigned(bits, MAXIMUM_DAYS));
    }

    int days() {
        return days;
    }

    /** A DA value shifted, or null if it is not a full date (then the value is removed: it cannot be shifted). */
    String date(String value) {
        String digits = value.trim().replace(".", "");
        if (digits.length() != 8) {
            return null;
        }
        return shifted(digits);
    }

    /** A DT value with its date part shifted (time and UTC offset kept), or null if it has no full date. */
    String dateTime(String value) {
        String trimmed = value.trim();
        if (trimmed.length() < 8) {
            return null;
        }
        String date = shifted(trimmed.substring(0, 8));
        return date == null ? null : date + trimmed.substring(8);
    }

    private String shifted(String yyyymmdd) {
        try {
            return LocalDate.parse(yyyymmdd, DA).minusDays(days).format(DA);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
