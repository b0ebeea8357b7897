package org.dicomweb.gateway.tasks;

/** The answer to a request: the task, and whether this request created it (false: its taskId existed already). */
public record TaskSubmission(TaskView task, boolean created) {
}
