package org.dicomweb.gateway.changefeed;

import java.time.Instant;

/**
 * One instance that entered the gateway (docs/jobs.md, "Change feed"): modelled on the Microsoft DICOM server's change
 * feed entry (Sequence, Timestamp, the three UIDs), with what the gateway knows besides: the AE it was stored into,
 * how it came ({@code origin}: STOW-RS, TASK, STORE-SCP), the task that delivered it (null otherwise) and its SOP
 * Class. The gateway records arrivals only, so there is no Action (always "create") and no State.
 */
public record ChangeFeedEntry(long sequence, Instant timestamp, String aet, String origin, String taskId,
        String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid, String sopClassUid) {
}
