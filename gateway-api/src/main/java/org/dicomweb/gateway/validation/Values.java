package org.dicomweb.gateway.validation;

/** Client values quoted in error reasons: kept to one short line whatever the client sent. */
public final class Values {

    private static final int QUOTED = 64;

    private Values() {
    }

    /**
     * {@code value} with control characters written as U+XXXX (a reason stays one line, a log stays readable), cut
     * after 64 characters with the full length said.
     */
    public static String shorten(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder quoted = new StringBuilder();
        int end = Math.min(value.length(), QUOTED);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            quoted.append(c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : String.valueOf(c));
        }
        if (end < value.length()) {
            quoted.append("... (").append(value.length()).append(" characters)");
        }
        return quoted.toString();
    }
}
