package org.dicomweb.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.InvalidRequestException;

class UidsTest {

    private static final String UID_64 = "1.2.840." + "1".repeat(56);

    @Test
    void uids() {
        assertNull(Uids.problem("1.2.840.10008.1.2.1"));
        assertNull(Uids.problem("0"));
        assertNull(Uids.problem(UID_64), "64 characters");
        assertNull(Uids.problem("1.2.840.0123.4"), "a leading zero: legacy PACS hold such UIDs");
        assertNull(Uids.problem("1.02.003"));
    }

    @Test
    void notUids() {
        assertEquals("is " + 65 + " characters long, more than 64", Uids.problem(UID_64 + "1"));
        assertEquals("is empty", Uids.problem(""));
        assertEquals("is empty", Uids.problem(null));
        assertEquals("has an empty component: two dots at character 4", Uids.problem("1.2..3"));
        assertEquals("starts with a dot (an empty first component)", Uids.problem(".1.2"));
        assertEquals("ends with a dot (an empty last component)", Uids.problem("1.2."));
        assertEquals("has '/' at character 4; a UID has only digits and dots", Uids.problem("1.2/3.4"));
        assertEquals("has ' ' at character 4; a UID has only digits and dots", Uids.problem("1.2 "));
        assertEquals("has control character U+0000 at character 4; a UID has only digits and dots",
                Uids.problem("1.2\u0000"));
        assertEquals("has 'x' at character 5; a UID has only digits and dots", Uids.problem("1.2.x"));
        assertTrue(Uids.isValid("1.2") && !Uids.isValid("1..2"));
    }

    @Test
    void requireNamesWhatAndShortensTheValue() {
        assertEquals("1.2.3", Uids.require("study UID in the path", "1.2.3"));
        assertEquals("study UID in the path: '1..2' is not a UID: it has an empty component: two dots at character 2",
                assertThrows(InvalidRequestException.class, () -> Uids.require("study UID in the path", "1..2"))
                        .getMessage());
        String reason = assertThrows(InvalidRequestException.class,
                () -> Uids.require("series UID in the path", "9".repeat(100_000))).getMessage();
        assertEquals("series UID in the path: '" + "9".repeat(64) + "... (100000 characters)' is not a UID: it is "
                + "100000 characters long, more than 64", reason);
    }

    @Test
    void valuesAreQuotedOnOneShortLine() {
        assertEquals("DOEU+0001U+000A", Values.shorten("DOE\u0001\n"));
        assertEquals("DOE", Values.shorten("DOE"));
        assertEquals("A".repeat(64) + "... (65 characters)", Values.shorten("A".repeat(65)));
    }
}
