package org.dicomweb.gateway.wado;

/**
 * A WADO-RS retrieval of a study, a series of it, or one instance (the UIDs below the level asked are null), and the
 * transfer syntax the client takes: a UID, or {@link #ANY_TRANSFER_SYNTAX} for whatever the PACS holds.
 */
public record WadoRequest(String studyUid, String seriesUid, String instanceUid, String transferSyntax) {

    public static final String ANY_TRANSFER_SYNTAX = "*";
    /** PS3.18 §8.7.3.5.2: application/dicom without a transfer-syntax parameter means Explicit VR Little Endian. */
    public static final String DEFAULT_TRANSFER_SYNTAX = "1.2.840.10008.1.2.1";

    /** The level and UID asked, for messages: "study 1.2.3", "series ...", "instance ...". */
    public String describe() {
        return instanceUid != null ? "instance " + instanceUid
                : seriesUid != null ? "series " + seriesUid : "study " + studyUid;
    }
}
