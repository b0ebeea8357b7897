package org.dicomweb.gateway.core.tasks;

import org.dicomweb.gateway.tasks.TaskView;

/**
 * A CDI event fired after the row of a task that reached a final state (COMPLETED, WARNING, FAILED, CANCELED) was
 * committed; the task events topic publishes it for the system that asked.
 */
public record TaskEnded(TaskView task) {
}
