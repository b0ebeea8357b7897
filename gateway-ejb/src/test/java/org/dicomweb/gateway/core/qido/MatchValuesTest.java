package org.dicomweb.gateway.core.qido;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A table of matching values each VR takes and refuses (PS3.5 §6.2, ranges PS3.4 C.2.2.2.5). */
class MatchValuesTest {

    private static final String[][] GOOD = {
        {"DA", "20240229"}, {"DA", "20200101-20201231"}, {"DA", "20200101-"}, {"DA", "-20201231"},
        {"TM", "23"}, {"TM", "2359"}, {"TM", "235960"}, {"TM", "000000.1"}, {"TM", "120000.123456"},
        {"TM", "08-1230"}, {"TM", "-120000"}, {"TM", "0800-"},
        {"DT", "2020"}, {"DT", "20200101120000.5"}, {"DT", "20200101120000+0100"}, {"DT", "202001011200-0500"},
        {"DT", "20200101-20200102"}, {"DT", "20200101-0500-20200102-0500"}, {"DT", "-2021"},
        {"UI", "1.2.840.10008"}, {"UI", "1.2,1.3"}, {"UI", "1.2.840.0123.4"},
        {"PN", "DOE^JOHN"}, {"PN", "DOE*"}, {"PN", "A".repeat(64)}, {"PN", "A".repeat(64) + "=" + "B".repeat(64)},
        {"LO", "L".repeat(64)}, {"SH", "S".repeat(16)}, {"CS", "CT"}, {"IS", "-12"}, {"DS", "1.5e3"},
        {"LT", "line\r\nnext\tcolumn"}, {"UT", "U".repeat(100_000)}, {"LO", "Dvořák"},
    };

    private static final String[][] BAD = {
        {"DA", "2020"}, {"DA", "20201301"}, {"DA", "20210229"}, {"DA", "20200132"}, {"DA", "-"},
        {"DA", "20200101--20200102"}, {"DA", "2020-01-01"},
        {"TM", "256000"}, {"TM", "25"}, {"TM", "1261"}, {"TM", "120061"}, {"TM", "12:00"}, {"TM", "120000.1234567"},
        {"TM", "1"}, {"TM", "-"},
        {"DT", "20201301"}, {"DT", "2020010125"}, {"DT", "20200101120000+1599"}, {"DT", "x"},
        {"UI", "1..2"}, {"UI", "1.2,"}, {"UI", "1." + "2".repeat(63)}, {"UI", "1.2/3"},
        {"PN", "A".repeat(65)}, {"PN", "DOE\u0001"}, {"PN", "DOE\n"}, {"LO", "L".repeat(65)}, {"LO", "x\u007F"},
        {"SH", "S".repeat(17)}, {"CS", "C".repeat(17)}, {"IS", "one"}, {"IS", "1".repeat(13)}, {"LT", "a\u0000b"},
    };

    @Test
    void goodValues() {
        for (String[] row : GOOD) {
            assertNull(MatchValues.problem(row[0], row[1]), row[0] + " " + row[1]);
        }
    }

    @Test
    void badValues() {
        for (String[] row : BAD) {
            assertNotNull(MatchValues.problem(row[0], row[1]), row[0] + " " + row[1]);
        }
    }

    @Test
    void reasonsQuoteTheValueShortened() {
        assertEquals("'256000' is not a time (HHMMSS.FFFFFF) or time range", MatchValues.problem("TM", "256000"));
        assertEquals("'DOEU+0001' has the control character U+0001 at character 4",
                MatchValues.problem("PN", "DOE\u0001"));
        assertEquals("'" + "A".repeat(64) + "... (100000 characters)' is 100000 characters long; a PN value has at most"
                + " 64 per component group", MatchValues.problem("PN", "A".repeat(100_000)));
        assertEquals("'1..2' is not a UID: it has an empty component: two dots at character 2",
                MatchValues.problem("UI", "1.2,1..2"));
    }
}
