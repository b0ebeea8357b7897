package org.dicomweb.gateway.core.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attribute of PS3.15 Table E.1-1, at the top level and inside a sequence item, de-identified under each option
 * set and checked against what the standard's code for it allows (read by {@link StandardTable}, not by the engine):
 * X absent, Z present and empty, D present with another value, K unchanged, C cleaned (dates shifted by one
 * per-patient offset, text without the patient's name), U a new 2.25 UID; a combined code allows any of its parts.
 */
class TableE11Test {

    static final byte[] SECRET = "a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    static final String AE = "DEIDTEST";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    static Stream<Arguments> optionSets() {
        return Stream.of(
                Arguments.of("basic profile", Set.of(), options(false, false, false, false, false)),
                Arguments.of("retain UIDs", Set.of("retain-uids"), options(true, false, false, false, false)),
                Arguments.of("modified dates", Set.of("retain-longitudinal-modified-dates"),
                        options(false, true, false, false, false)),
                Arguments.of("patient characteristics", Set.of("retain-patient-characteristics"),
                        options(false, false, true, false, false)),
                Arguments.of("device identity", Set.of("retain-device-identity"),
                        options(false, false, false, true, false)),
                Arguments.of("clean descriptors", Set.of("clean-descriptors"),
                        options(false, false, false, false, true)),
                Arguments.of("all options", Set.of("retain-uids", "retain-longitudinal-modified-dates",
                        "retain-patient-characteristics", "retain-device-identity", "clean-descriptors"),
                        options(true, true, true, true, true)));
    }

    static DeidentificationOptions options(boolean uids, boolean dates, boolean patient, boolean device,
            boolean descriptors) {
        return new DeidentificationOptions(uids, dates, patient, device, descriptors, Set.of(), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionSets")
    void everyAttributeGetsWhatItsCodeAllows(String label, Set<String> columns, DeidentificationOptions options)
            throws Exception {
        List<StandardTable.Row> rows = StandardTable.rows();
        AttributeList original = SyntheticDataSet.of(rows);
        AttributeList result = SyntheticDataSet.of(rows);
        BasicProfile.of(AE, options, SECRET, new KeyedHashPseudonyms(SECRET, AE)).apply(result);

        Checker checker = new Checker(columns);
        checker.level("top", rows, original, result);
        checker.level("item", rows, item(original), item(result));
        assertEquals(List.of(), checker.failures, label + ": attributes not treated as Table E.1-1 says");
        if (columns.contains("retain-longitudinal-modified-dates")) {
            assertTrue(checker.shifts.size() == 1 && checker.shifts.first() >= 1 && checker.shifts.first() <= 3652,
                    "all dates shifted by one offset of 1 to 3652 days, were " + checker.shifts);
        }
    }

    private static AttributeList item(AttributeList list) {
        return ((SequenceAttribute) list.get(SyntheticDataSet.CARRIER)).getItem(0).getAttributeList();
    }

    /** Compares one level of the data set row by row and collects every row whose outcome its code does not allow. */
    private static final class Checker {
        final Set<String> columns;
        final List<String> failures = new ArrayList<>();
        final TreeSet<Long> shifts = new TreeSet<>();

        Checker(Set<String> columns) {
            this.columns = columns;
        }

        void level(String where, List<StandardTable.Row> rows, AttributeList original, AttributeList result)
                throws DicomException {
            for (StandardTable.Row row : rows) {
                AttributeTag tag = SyntheticDataSet.tag(row);
                Attribute before = original.get(tag);
                if (before == null) {
                    continue;   // file meta and command group attributes are only at the top
                }
                String code = row.code(columns);
                if (where.equals("top") && (tag.equals(TagFromName.PatientID) || tag.equals(TagFromName.PatientName))) {
                    check(where, row, code, Attribute.getSingleStringValueOrEmptyString(result, tag).contains("PSN-"));
                    continue;
                }
                char outcome = outcome(before, result.get(tag));
                check(where, row, code + " → " + outcome, allows(StandardTable.outcomes(code), outcome));
            }
        }

        private void check(String where, StandardTable.Row row, String what, boolean ok) {
            if (!ok) {
                failures.add(where + " " + row.tag() + " " + row.name() + ": " + what);
            }
        }

        /**
         * Whether the code's outcomes include what happened: a kept sequence with its items de-identified (*) is
         * what K, D, U and C do to a sequence; a value left as it was that identifies nothing (k) is a K and a C
         * with nothing to clean; a UID replaced is what U and D do to a UID.
         */
        private static boolean allows(Set<Character> codes, char outcome) {
            return switch (outcome) {
                case '*' -> codes.stream().anyMatch(code -> "KDUC".indexOf(code) >= 0);
                case 'k' -> codes.contains('K') || codes.contains('C');
                case 'U' -> codes.contains('U') || codes.contains('D');
                default -> codes.contains(outcome);
            };
        }

        /**
         * What happened: X removed, Z emptied, K unchanged (k: unchanged and identifying nothing), U a new 2.25 UID,
         * C a date shifted or a text cleaned of the patient's name, D another value; for a sequence, Z no items,
         * * items kept and de-identified (the canary emptied), ! items kept but not de-identified.
         */
        private char outcome(Attribute before, Attribute after) throws DicomException {
            if (after == null) {
                return 'X';
            }
            byte[] vr = before.getVR();
            if (ValueRepresentation.isSequenceVR(vr)) {
                SequenceAttribute sequence = (SequenceAttribute) after;
                if (sequence.getNumberOfItems() == 0) {
                    return 'Z';
                }
                Attribute canary = sequence.getItem(0).getAttributeList().get(SyntheticDataSet.CANARY);
                return canary != null && canary.getVL() == 0 ? '*' : '!';
            }
            if (after.getVL() == 0) {
                return 'Z';
            }
            String[] was = Attribute.getStringValues(before);
            String[] is = Attribute.getStringValues(after);
            if (ValueRepresentation.isUniqueIdentifierVR(vr)) {
                return Arrays.equals(was, is) ? 'K' : is[0].matches("2\\.25\\.[1-9][0-9]{0,38}") ? 'U' : '?';
            }
            if (Arrays.equals(Outcomes.encoded(before), Outcomes.encoded(after))) {
                return textMentionsPatient(vr, is) ? 'K' : 'k';
            }
            if (ValueRepresentation.isDateVR(vr) || ValueRepresentation.isDateTimeVR(vr)) {
                long days = ChronoUnit.DAYS.between(LocalDate.parse(is[0].substring(0, 8), DA),
                        LocalDate.parse(was[0].substring(0, 8), DA));
                if (is[0].substring(8).equals(was[0].substring(8)) && days > 0 && days <= 3652
                        && !is[0].startsWith("1900")) {
                    shifts.add(days);
                    return 'C';
                }
                return 'D';
            }
            if (DescriptorCleaner.textual(vr) && is[0].startsWith("about") && !is[0].contains("Doe")) {
                return 'C';
            }
            return 'D';
        }

        private static boolean textMentionsPatient(byte[] vr, String[] values) {
            return DescriptorCleaner.textual(vr) && values.length > 0 && values[0].contains(SyntheticDataSet.FAMILY_NAME);
        }
    }
}
