package org.dicomweb.gateway.web;

/** HTTP Warning header values (RFC 7234 §5.5; PS3.18 uses code 299 for DICOMweb warnings). */
public final class Warnings {

    private Warnings() {
    }

    public static String header(String text) {
        return "299 dicomweb-gateway \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
