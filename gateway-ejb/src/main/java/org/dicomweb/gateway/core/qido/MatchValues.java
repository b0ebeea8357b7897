package org.dicomweb.gateway.core.qido;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.dicomweb.gateway.validation.Uids;
import org.dicomweb.gateway.validation.Values;

/**
 * Checks a QIDO-RS matching value against the VR of its attribute (PS3.5 §6.2), so that a value no PACS could match
 * is a 400 rather than a C-FIND: real dates and times (ranges too, PS3.4 C.2.2.2.5), numbers, UIDs (or lists of them),
 * no control characters, no longer than the VR allows. VRs without a bound of their own (UC, UR, UT) are bounded by
 * the query string's length (gateway.http.max-query-length).
 */
public final class MatchValues {

    /** Characters per value (per component group for PN), PS3.5 Table 6.2-1; DA, TM, DT, UI are checked by form. */
    private static final Map<String, Integer> MAX_LENGTH = Map.ofEntries(Map.entry("AE", 16), Map.entry("AS", 4),
            Map.entry("CS", 16), Map.entry("DS", 16), Map.entry("IS", 12), Map.entry("LO", 64),
            Map.entry("LT", 10240), Map.entry("PN", 64), Map.entry("SH", 16), Map.entry("ST", 1024));
    private static final Pattern DATE = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern TIME = Pattern.compile("(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.\\d{1,6})?)?)?");
    /** YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]: the time part (group 4) is checked as a TM. */
    private static final Pattern DATETIME = Pattern.compile("(\\d{4})(?:(\\d{2})(?:(\\d{2})"
            + "(\\d{2}(?:\\d{2}(?:\\d{2}(?:\\.\\d{1,6})?)?)?)?)?)?(?:[+-](\\d{2})(\\d{2}))?");
    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?");

    private MatchValues() {
    }

    /** Why {@code value} cannot match an attribute of VR {@code vr}, or null if it can. */
    public static String problem(String vr, String value) {
        String control = controlCharacter(vr, value);
        if (control != null) {
            return control;
        }
        return switch (vr) {
            case "UI" -> uids(value);
            case "DA" -> range(value, MatchValues::isDate) ? null
                    : quote(value) + " is not a date (YYYYMMDD) or date range";
            case "TM" -> range(value, MatchValues::isTime) ? null
                    : quote(value) + " is not a time (HHMMSS.FFFFFF) or time range";
            case "DT" -> range(value, MatchValues::isDateTime) ? null
                    : quote(value) + " is not a date-time (YYYYMMDDHHMMSS.FFFFFF&ZZXX) or date-time range";
            case "IS", "DS", "US", "UL", "SS", "SL", "FL", "FD" -> NUMBER.matcher(value).matches()
                    ? tooLong(vr, value) : quote(value) + " is not a number";
            default -> tooLong(vr, value);
        };
    }

    /** PS3.5 §6.1.3: text VRs allow TAB, LF, FF and CR; no value allows any other control character. */
    private static String controlCharacter(String vr, String value) {
        boolean text = vr.equals("LT") || vr.equals("ST") || vr.equals("UT");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7F;
            if (control && !(text && (c == '\t' || c == '\n' || c == '\f' || c == '\r'))) {
                return quote(value) + String.format(" has the control character U+%04X at character %d", (int) c,
                        i + 1);
            }
        }
        return null;
    }

    /** A UID, or a list of them separated by commas (PS3.18 §8.3.4.1) or backslashes (as in C-FIND). */
    private static String uids(String value) {
        for (String uid : value.split("[,\\\\]", -1)) {
            String problem = Uids.problem(uid);
            if (problem != null) {
                return quote(uid) + " is not a UID: it " + problem;
            }
        }
        return null;
    }

    private static String tooLong(String vr, String value) {
        Integer max = MAX_LENGTH.get(vr);
        if (max == null) {
            return null;
        }
        for (String single : value.split("\\\\", -1)) {
            // a person name has up to three component groups (alphabetic, ideographic, phonetic), each bounded
            for (String part : vr.equals("PN") ? single.split("=", -1) : new String[] {single}) {
                if (part.codePointCount(0, part.length()) > max) {
                    return quote(value) + " is " + value.length() + " characters long; a " + vr + " value has at most "
                            + max + (vr.equals("PN") ? " per component group" : "");
                }
            }
        }
        return null;
    }

    /** A single value or a range: "a-b", "a-", "-b" (PS3.4 C.2.2.2.5). DT offsets (-0500) hold dashes too. */
    private static boolean range(String value, Predicate<String> single) {
        if (single.test(value)) {
            return true;
        }
        for (int dash = value.indexOf('-'); dash >= 0; dash = value.indexOf('-', dash + 1)) {
            String from = value.substring(0, dash);
            String to = value.substring(dash + 1);
            if ((from.isEmpty() || single.test(from)) && (to.isEmpty() || single.test(to))
                    && !(from.isEmpty() && to.isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDate(String value) {
        Matcher date = DATE.matcher(value);
        return date.matches() && isDate(date.group(1), date.group(2), date.group(3));
    }

    private static boolean isDate(String year, String month, String day) {
        try {
            LocalDate.of(Integer.parseInt(year), month == null ? 1 : Integer.parseInt(month),
                    day == null ? 1 : Integer.parseInt(day));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isTime(String value) {
        Matcher time = TIME.matcher(value);
        return time.matches() && isTime(time.group(1), time.group(2), time.group(3));
    }

    /** Hours 00-23, minutes 00-59, seconds 00-60 (60: a leap second, PS3.5 Table 6.2-1). */
    private static boolean isTime(String hours, String minutes, String seconds) {
        return Integer.parseInt(hours) <= 23 && (minutes == null || Integer.parseInt(minutes) <= 59)
                && (seconds == null || Integer.parseInt(seconds) <= 60);
    }

    private static boolean isDateTime(String value) {
        Matcher dateTime = DATETIME.matcher(value);
        if (!dateTime.matches() || !isDate(dateTime.group(1), dateTime.group(2), dateTime.group(3))) {
            return false;
        }
        String time = dateTime.group(4);
        boolean offsetOk = dateTime.group(5) == null
                || Integer.parseInt(dateTime.group(5)) <= 14 && Integer.parseInt(dateTime.group(6)) <= 59;
        return offsetOk && (time == null || isTime(time));
    }

    private static String quote(String value) {
        return "'" + Values.shorten(value) + "'";
    }
}
