package org.dicomweb.gateway.tasks;

import java.util.Optional;

/**
 * Retrieval tasks: each is a row in the gateway's database (the truth; JMS only triggers and wakes the workers),
 * run by the deployment's workers, retried with backoff after transient failures, and reported when it ends.
 */
public interface TaskService {

    /**
     * Records the task (SCHEDULED) and queues it; a taskId that exists already is answered with that task, never run
     * twice. Refuses a request naming an AE that is not configured ({@link org.dicomweb.gateway.error.UnknownAeException}
     * naming it) or one the destination cannot take ({@link org.dicomweb.gateway.error.InvalidRequestException}).
     */
    TaskSubmission submit(TaskRequest request);

    Optional<TaskView> find(String taskId);

    TaskPage list(TaskQuery query);

    /**
     * Cancels a task that has not ended: a scheduled one never runs, a running one stops (its C-GET/C-MOVE with
     * C-CANCEL) and keeps what was delivered. A task that ended already is a {@link
     * org.dicomweb.gateway.error.ConflictException}; an unknown id a {@link
     * org.dicomweb.gateway.error.NotFoundInPacsException}-like 404.
     */
    TaskView cancel(String taskId);

    /** Runs an ended task again (its counts start over); a task still scheduled or running is a conflict. */
    TaskView reschedule(String taskId);
}
