package org.dicomweb.gateway.web;

import java.util.ArrayList;
import java.util.List;

/** HTTP Warning header values (RFC 7234 §5.5; PS3.18 uses code 299 for DICOMweb warnings). */
public final class Warnings {

    /**
     * At most this many Warning headers on one response: Undertow refuses a 128th value of one header name
     * (IllegalStateException while the headers are committed: a 500 instead of the answer), and a client needs the
     * first few; the response body has the rest.
     */
    static final int MAX_HEADERS = 20;

    private Warnings() {
    }

    /** One header value; control characters (a CR/LF from a peer's message) become spaces. */
    public static String header(String text) {
        return "299 dicomweb-gateway \"" + text.replaceAll("\\p{Cntrl}", " ").replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"";
    }

    /** The texts, cut to {@link #MAX_HEADERS} with a last one that counts the {@code what} left out. */
    public static List<String> limited(List<String> texts, String what) {
        if (texts.size() <= MAX_HEADERS) {
            return texts;
        }
        List<String> shown = new ArrayList<>(texts.subList(0, MAX_HEADERS - 1));
        shown.add((texts.size() - shown.size()) + " more " + what + ", listed in the response body");
        return shown;
    }
}
