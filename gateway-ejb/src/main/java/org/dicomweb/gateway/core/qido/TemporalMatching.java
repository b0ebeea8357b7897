package org.dicomweb.gateway.core.qido;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matching of DA, TM and DT keys (PS3.4 C.2.2.2.1 and C.2.2.2.5). A key without a range dash is Single Value
 * Matching: the value must be the same string. A range {@code a-b}, {@code -b} or {@code a-} matches values from the
 * earliest moment {@code a} denotes to the latest moment {@code b} denotes, inclusive: a partial TM or DT stands for
 * the whole hour, day, month or year it names, so {@code 1300-1400} ends at 14:00:59.999999 and {@code 2020-2021}
 * (DT) at the end of 2021. DT offsets from UTC count when both the value and the bound have one (C.2.2.2.5.3 d);
 * otherwise both are compared as local times. Each attribute is matched on its own: combined date-time matching of a
 * DA/TM pair needs Extended Negotiation (C.2.2.2.5.4), which QIDO-RS has no parameter for.
 */
final class TemporalMatching {

    private static final Pattern DATE = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final Pattern TIME = Pattern.compile("(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,6}))?)?)?");
    private static final Pattern DATETIME = Pattern.compile("(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})"
            + "(?:(\\d{2})(?:\\.(\\d{1,6}))?)?)?)?)?)?([+-]\\d{4})?");

    /** The moments a value denotes: from {@code earliest} to {@code latest}, at {@code offset} if it has one. */
    private record Moments(LocalDateTime earliest, LocalDateTime latest, ZoneOffset offset) {
    }

    private TemporalMatching() {
    }

    /** {@code key} and {@code value} without padding; {@code key} already checked by {@link MatchValues}. */
    static boolean matches(String vr, String key, String value) {
        if (parse(vr, key) != null) {
            return key.equals(value); // C.2.2.2.1 b: a date or time without "-" is matched as a single value
        }
        Moments data = parse(vr, value);
        if (data == null) {
            return false; // not a DA/TM/DT value: it names no moment a range could hold
        }
        for (int dash = key.indexOf('-'); dash >= 0; dash = key.indexOf('-', dash + 1)) {
            String from = key.substring(0, dash);
            String to = key.substring(dash + 1);
            Moments lower = from.isEmpty() ? null : parse(vr, from);
            Moments upper = to.isEmpty() ? null : parse(vr, to);
            if ((lower != null || from.isEmpty()) && (upper != null || to.isEmpty())) {
                return (lower == null || compare(data.earliest(), data.offset(), lower.earliest(), lower.offset()) >= 0)
                        && (upper == null
                                || compare(data.earliest(), data.offset(), upper.latest(), upper.offset()) <= 0);
            }
        }
        return false;
    }

    private static int compare(LocalDateTime a, ZoneOffset aOffset, LocalDateTime b, ZoneOffset bOffset) {
        return aOffset != null && bOffset != null ? a.toInstant(aOffset).compareTo(b.toInstant(bOffset))
                : a.compareTo(b);
    }

    /** The moments a DA, TM or DT value denotes, or null if it is not one. */
    private static Moments parse(String vr, String value) {
        Matcher m = (switch (vr) {
            case "DA" -> DATE;
            case "TM" -> TIME;
            default -> DATETIME;
        }).matcher(value);
        if (!m.matches()) {
            return null;
        }
        try {
            return switch (vr) {
                case "DA" -> moments(m.group(1), m.group(2), m.group(3), null, null, null, null, null);
                case "TM" -> moments("1970", "01", "01", m.group(1), m.group(2), m.group(3), m.group(4), null);
                default -> moments(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7),
                        m.group(8));
            };
        } catch (DateTimeException e) {
            return null; // e.g. 20230230, or an hour of 25
        }
    }

    /** Missing parts run from their smallest to their largest value; a leap second (60) counts as 59.999999. */
    private static Moments moments(String year, String month, String day, String hour, String minute, String second,
            String fraction, String offset) {
        YearMonth first = YearMonth.of(Integer.parseInt(year), month == null ? 1 : Integer.parseInt(month));
        YearMonth last = YearMonth.of(first.getYear(), month == null ? 12 : first.getMonthValue());
        int fromDay = day == null ? 1 : Integer.parseInt(day);
        int toDay = day == null ? last.lengthOfMonth() : fromDay;
        int fromHour = hour == null ? 0 : Integer.parseInt(hour);
        int toHour = hour == null ? 23 : fromHour;
        int fromMinute = minute == null ? 0 : Integer.parseInt(minute);
        int toMinute = minute == null ? 59 : fromMinute;
        int fromSecond = second == null ? 0 : Math.min(59, Integer.parseInt(second));
        int toSecond = second == null ? 59 : fromSecond;
        int nanos = 0;
        int nanosSpan = 1_000_000_000;
        if (fraction != null) {
            nanosSpan = (int) Math.pow(10, 9 - fraction.length());
            nanos = Integer.parseInt(fraction) * nanosSpan;
        }
        if ("60".equals(second)) {
            nanos = 999_999_999;
            nanosSpan = 1;
        }
        LocalDateTime earliest = LocalDateTime.of(first.getYear(), first.getMonthValue(), fromDay, fromHour,
                fromMinute, fromSecond, nanos);
        LocalDateTime latest = LocalDateTime.of(last.getYear(), last.getMonthValue(), toDay, toHour, toMinute,
                toSecond, nanos + nanosSpan - 1);
        return new Moments(earliest, latest, offset == null ? null : ZoneOffset.of(offset.substring(0, 3)
                + ":" + offset.substring(3)));
    }
}
