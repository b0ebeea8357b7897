package org.dicomweb.gateway.validation;

import org.dicomweb.gateway.error.InvalidRequestException;

/**
 * The one check of UIDs (PS3.5 §9.1) for every module and backend: at most 64 characters, components of digits
 * separated by single dots, none empty. A component with a leading zero (1.2.840.0123) breaks §9.1 but is accepted:
 * legacy PACS hold such UIDs, and whatever the gateway's QIDO-RS returns, its WADO-RS must take back.
 */
public final class Uids {

    public static final int MAX_LENGTH = 64;

    private Uids() {
    }

    public static boolean isValid(String uid) {
        return problem(uid) == null;
    }

    /** Why {@code uid} is not a UID (a phrase to follow the UID in a message), or null if it is one. */
    public static String problem(String uid) {
        if (uid == null || uid.isEmpty()) {
            return "is empty";
        }
        if (uid.length() > MAX_LENGTH) {
            return "is " + uid.length() + " characters long, more than " + MAX_LENGTH;
        }
        boolean componentStarted = false;
        for (int i = 0; i < uid.length(); i++) {
            char c = uid.charAt(i);
            if (c == '.') {
                if (i == 0) {
                    return "starts with a dot (an empty first component)";
                }
                if (!componentStarted) {
                    return "has an empty component: two dots at character " + i;
                }
                componentStarted = false;
            } else if (c >= '0' && c <= '9') {
                componentStarted = true;
            } else {
                return "has " + describe(c) + " at character " + (i + 1) + "; a UID has only digits and dots";
            }
        }
        return componentStarted ? null : "ends with a dot (an empty last component)";
    }

    /**
     * {@code uid} if it is a UID, else a 400 naming {@code what} (e.g. "study UID in the path", "parameter
     * 'StudyInstanceUID'") and the (shortened) value.
     */
    public static String require(String what, String uid) {
        String problem = problem(uid);
        if (problem != null) {
            throw new InvalidRequestException(what + ": '" + Values.shorten(uid) + "' is not a UID: it " + problem);
        }
        return uid;
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7F ? String.format("control character U+%04X", (int) c) : "'" + c + "'";
    }
}
