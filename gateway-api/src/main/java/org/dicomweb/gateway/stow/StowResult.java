package org.dicomweb.gateway.stow;

import java.util.List;

/**
 * The outcome of a STOW-RS request, per instance (PS3.18 §10.5.3). An instance is in {@code stored} only after the
 * PACS answered its C-STORE with Success or Warning.
 */
public record StowResult(String studyUid, List<Stored> stored, List<Failed> failed, List<String> unreadableParts) {

    /** {@code warningReason} is the C-STORE Warning status (e.g. 0xB000 coercion), or null on Success. */
    public record Stored(String sopClassUid, String sopInstanceUid, String studyUid, String seriesUid,
            Integer warningReason) {
    }

    /** FailureReason (0008,1197): the C-STORE status, or the gateway's own reason code. */
    public record Failed(String sopClassUid, String sopInstanceUid, int failureReason, String why) {
    }
}
