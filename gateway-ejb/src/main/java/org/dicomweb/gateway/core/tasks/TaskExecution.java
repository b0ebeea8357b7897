package org.dicomweb.gateway.core.tasks;

/**
 * Runs one attempt of a task: finds what its selection names at the source, and delivers it to the destination
 * (straight, by a backend's {@link org.dicomweb.gateway.core.backend.DirectTransfer}, or through the gateway),
 * recording progress on the attempt as it goes. Returns when the attempt ends (normally, or because it was
 * cancelled); throws a {@link org.dicomweb.gateway.error.GatewayException} when the source or the destination failed
 * as a whole: {@link org.dicomweb.gateway.error.PeerFailureException}, {@link
 * org.dicomweb.gateway.error.PeerTimeoutException} and {@link org.dicomweb.gateway.error.GatewayBusyException} are
 * transient (the task is retried), the others permanent.
 */
public interface TaskExecution {

    void run(TaskAttempt attempt);
}
