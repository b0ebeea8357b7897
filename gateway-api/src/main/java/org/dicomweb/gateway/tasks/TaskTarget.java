package org.dicomweb.gateway.tasks;

import java.util.List;

/**
 * One thing a task fetches: a study, a series of it, or instances of a series (the UIDs below the level asked are
 * null, and {@code sopInstanceUids} is empty unless instances are asked).
 */
public record TaskTarget(String studyInstanceUid, String seriesInstanceUid, List<String> sopInstanceUids) {

    public TaskTarget {
        sopInstanceUids = List.copyOf(sopInstanceUids);
    }

    public static TaskTarget study(String studyInstanceUid) {
        return new TaskTarget(studyInstanceUid, null, List.of());
    }
}
