package org.dicomweb.gateway.tasks;

import java.util.List;

/**
 * What a task fetches: the studies, series or instances named by UID ({@code targets}), or every study of one
 * PatientID or one AccessionNumber, found by a QIDO-RS study search of the source first. Exactly one of the three is
 * given.
 */
public record TaskSelection(List<TaskTarget> targets, String patientId, String accessionNumber) {

    public TaskSelection {
        targets = List.copyOf(targets);
    }

    public static TaskSelection of(List<TaskTarget> targets) {
        return new TaskSelection(targets, null, null);
    }

    public static TaskSelection patient(String patientId) {
        return new TaskSelection(List.of(), patientId, null);
    }

    public static TaskSelection accession(String accessionNumber) {
        return new TaskSelection(List.of(), null, accessionNumber);
    }

    /** For messages: "study 1.2.3", "3 studies", "PatientID P1", "AccessionNumber A1". */
    public String describe() {
        if (patientId != null) {
            return "PatientID " + patientId;
        }
        if (accessionNumber != null) {
            return "AccessionNumber " + accessionNumber;
        }
        if (targets.size() == 1) {
            TaskTarget target = targets.get(0);
            return !target.sopInstanceUids().isEmpty() ? target.sopInstanceUids().size() + " instances of series "
                    + target.seriesInstanceUid() : target.seriesInstanceUid() != null
                    ? "series " + target.seriesInstanceUid() : "study " + target.studyInstanceUid();
        }
        return targets.size() + " targets";
    }
}
