package org.dicomweb.gateway.core.tasks;

/**
 * What the JMS side needs of the task rows beyond {@link org.dicomweb.gateway.tasks.TaskService}: recording a
 * request that could not be taken, and failing a task whose trigger message went to the dead-letter address.
 */
public interface TaskRecords {

    /**
     * Records a request that was refused (malformed, unknown AE) as a FAILED task with the reason, so that the sender
     * can find it by its taskId ({@code taskId} null when the body had none readable: one is made up) instead of the
     * message being redelivered forever. Returns the task's id.
     */
    String recordRefused(String taskId, String correlationId, String body, String reason);

    /** Marks a task FAILED because its message landed in the dead-letter address (no-op if it ended already). */
    void failUndeliverable(String taskId, String reason);
}
