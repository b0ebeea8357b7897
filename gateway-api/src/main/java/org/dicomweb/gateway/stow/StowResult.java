package org.dicomweb.gateway.stow;

import java.util.List;

/**
 * The outcome of a STOW-RS request, per part (PS3.18 §10.5.3): every part of the body is either in {@code stored} or
 * in {@code failed}. An instance is in {@code stored} only after the PACS answered its C-STORE with Success or Warning.
 */
public record StowResult(String studyUid, List<Stored> stored, List<Failed> failed) {

    /** {@code warningReason} is the C-STORE Warning status (e.g. 0xB000 coercion), or null on Success. */
    public record Stored(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid,
            Integer warningReason) {
    }

    /**
     * FailureReason (0008,1197): the C-STORE status, or the gateway's own reason code. The UIDs are empty for a part
     * that could not be parsed as a DICOM instance (or was not read at all).
     */
    public record Failed(String sopClassUid, String sopInstanceUid, int failureReason, String why) {

        /** A part the gateway could not make an instance of: no UIDs to report. */
        public static Failed unparsed(int failureReason, String why) {
            return new Failed("", "", failureReason, why);
        }

        public boolean isUnparsed() {
            return sopInstanceUid.isEmpty();
        }
    }
}
