package org.dicomweb.gateway.backend.dimse.association;

/**
 * Walks the items and sub-items of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2, §9.3.3: type, a reserved byte, a 2-byte
 * length, the value), checking that each one fits in what holds it before anything reads its value: a length that
 * lies fails here, by name, instead of as an index out of bounds further on.
 */
public final class PduItems {

    /** Protocol version, reserved, called and calling AE titles and 32 reserved bytes precede the items. */
    public static final int FIXED_FIELDS = 68;
    static final int PRESENTATION_CONTEXT_RQ = 0x20;
    static final int PRESENTATION_CONTEXT_AC = 0x21;
    static final int USER_INFORMATION = 0x50;
    static final int ROLE_SELECTION = 0x54;
    static final int EXTENDED_NEGOTIATION = 0x56;
    static final int COMMON_EXTENDED_NEGOTIATION = 0x57;
    static final int USER_IDENTITY = 0x58;

    private PduItems() {
    }

    @FunctionalInterface
    interface Visitor {
        /** One item: its type, and where its value starts in the PDU body and how long it is. */
        void item(int type, int value, int length) throws MalformedPduException;
    }

    /** Each item in {@code body[from, to)}, in order; {@code where} names the enclosing PDU or item in errors. */
    static void each(byte[] body, int from, int to, String where, Visitor visitor) throws MalformedPduException {
        for (int at = from; at < to; ) {
            if (to - at < 4) {
                throw new MalformedPduException(where + ": " + (to - at) + " bytes left where an item header was due");
            }
            int type = body[at] & 0xFF;
            int length = Pdus.uint16(body, at + 2);
            int value = at + 4;
            if (length > to - value) {
                throw new MalformedPduException(where + ": item 0x" + Integer.toHexString(type) + " says " + length
                        + " bytes, only " + (to - value) + " follow");
            }
            visitor.item(type, value, length);
            at = value + length;
        }
    }

    /**
     * Checks an A-ASSOCIATE-RQ or -AC body whole: its fixed fields, its items, and the sub-items of its presentation
     * contexts (after their 4 fixed bytes) and of its user information.
     */
    public static void check(byte[] body, String pdu) throws MalformedPduException {
        if (body.length < FIXED_FIELDS) {
            throw new MalformedPduException(pdu + " of " + body.length + " bytes is shorter than its "
                    + FIXED_FIELDS + " fixed bytes");
        }
        each(body, FIXED_FIELDS, body.length, pdu, (type, value, length) -> {
            if (type == PRESENTATION_CONTEXT_RQ || type == PRESENTATION_CONTEXT_AC) {
                if (length < 4) {
                    throw new MalformedPduException(pdu + ": presentation context item of " + length + " bytes");
                }
                each(body, value + 4, value + length, pdu + " presentation context " + (body[value] & 0xFF),
                        (sub, subValue, subLength) -> { });
            } else if (type == USER_INFORMATION) {
                each(body, value, value + length, pdu + " user information",
                        (sub, subValue, subLength) -> checkUserInformation(body, sub, subValue, subLength, pdu));
            }
        });
    }

    /**
     * The lengths inside user information sub-items: the UID length that starts role selection, SOP class and
     * common extended negotiation (PS3.7 D.3.3.4, D.3.3.5, D.3.3.6), and the two field lengths of user identity
     * negotiation (D.3.3.7).
     */
    private static void checkUserInformation(byte[] body, int type, int value, int length, String pdu)
            throws MalformedPduException {
        String where = pdu + " user information: sub-item 0x" + Integer.toHexString(type) + " of " + length + " bytes";
        if (type == ROLE_SELECTION || type == EXTENDED_NEGOTIATION || type == COMMON_EXTENDED_NEGOTIATION) {
            int uidLength = length < 2 ? -1 : Pdus.uint16(body, value);
            if (uidLength < 0 || uidLength > length - 2) {
                throw new MalformedPduException(where + " cannot hold its SOP class UID"
                        + (uidLength < 0 ? "" : " of " + uidLength + " bytes"));
            }
        } else if (type == USER_IDENTITY) {
            int primary = length < 4 ? -1 : Pdus.uint16(body, value + 2);
            if (primary < 0 || primary > length - 6 || Pdus.uint16(body, value + 4 + primary) != length - 6 - primary) {
                throw new MalformedPduException(where + " does not add up to its user identity fields");
            }
        }
    }
}
