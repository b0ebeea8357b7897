package org.dicomweb.gateway.core.transcode;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The transfer syntaxes whose Pixel Data is native (PS3.5 §8.1.1, §A.1–A.3): they differ only in how element headers
 * and values are encoded, never in the pixels. Deflated Explicit VR Little Endian (§A.5), a whole-data-set encoding,
 * is neither read nor written: PixelMed inflates inside its own stream, so the pixels could not be read past it.
 */
public enum NativeSyntax {
    IMPLICIT_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false),
    EXPLICIT_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false),
    EXPLICIT_BIG_ENDIAN("1.2.840.10008.1.2.2", true, true);

    private final String uid;
    private final boolean explicitVr;
    private final boolean bigEndian;

    NativeSyntax(String uid, boolean explicitVr, boolean bigEndian) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
    }

    public static Optional<NativeSyntax> of(String transferSyntaxUid) {
        return Arrays.stream(values()).filter(syntax -> syntax.uid.equals(transferSyntaxUid)).findFirst();
    }

    /** Those the transcoder reads and writes, Explicit VR Little Endian first (the DICOMweb default). */
    public static List<String> produced() {
        return List.of(EXPLICIT_LITTLE_ENDIAN.uid, IMPLICIT_LITTLE_ENDIAN.uid, EXPLICIT_BIG_ENDIAN.uid);
    }

    public String uid() {
        return uid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean bigEndian() {
        return bigEndian;
    }
}
