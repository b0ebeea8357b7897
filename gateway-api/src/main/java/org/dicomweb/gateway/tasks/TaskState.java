package org.dicomweb.gateway.tasks;

/**
 * The states of a retrieval task, as dcm4chee-arc names them. COMPLETED, WARNING, FAILED and CANCELED are final
 * (a final task runs again only when rescheduled); WARNING means it ended with some instances failed or stored with
 * a warning.
 */
public enum TaskState {
    SCHEDULED, IN_PROCESS, COMPLETED, WARNING, FAILED, CANCELED, SCHEDULED_FOR_RETRY;

    public boolean isFinal() {
        return this == COMPLETED || this == WARNING || this == FAILED || this == CANCELED;
    }
}
