package org.dicomweb.gateway.core.tasks.run;

import java.util.List;

import org.dicomweb.gateway.tasks.TaskTarget;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * One target of a task as found at the source: what the task asks, and the SOP Instance UIDs the source holds of it
 * ({@code instances}; null when the source could not say, the retrieval then finds out).
 */
record SourceTarget(TaskTarget asked, List<String> instances) {

    SourceTarget {
        instances = instances == null ? null : List.copyOf(instances);
    }

    /**
     * The retrievals that fetch it: the study or series in one, an instance list one instance each (a WADO-RS request
     * names one instance, and a series retrieved whole for a few of its instances would fetch the rest for nothing).
     */
    List<WadoRequest> retrievals() {
        if (asked.sopInstanceUids().isEmpty()) {
            return List.of(new WadoRequest(asked.studyInstanceUid(), asked.seriesInstanceUid(), null,
                    WadoRequest.ANY_TRANSFER_SYNTAX));
        }
        return asked.sopInstanceUids().stream().map(uid -> new WadoRequest(asked.studyInstanceUid(),
                asked.seriesInstanceUid(), uid, WadoRequest.ANY_TRANSFER_SYNTAX)).toList();
    }

    boolean isInstanceList() {
        return !asked.sopInstanceUids().isEmpty();
    }

    /** "study 1.2.3", "series 1.2.3.4", "3 instances of series 1.2.3.4". */
    String describe() {
        return isInstanceList() ? asked.sopInstanceUids().size() + " instances of series " + asked.seriesInstanceUid()
                : asked.seriesInstanceUid() != null ? "series " + asked.seriesInstanceUid()
                : "study " + asked.studyInstanceUid();
    }
}
