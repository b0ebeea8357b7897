package org.dicomweb.gateway.core.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.tasks.store.TaskDatabase;
import org.dicomweb.gateway.core.tasks.store.TaskDatabaseException;
import org.dicomweb.gateway.core.tasks.store.TaskStore;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.tasks.TaskView;

/**
 * Runs the task a message names, if this worker can claim it: one attempt by the {@link TaskExecution}, with a
 * heartbeat every quarter lease, then the row's final state, or SCHEDULED_FOR_RETRY and a delayed message after a
 * transient failure. A failure of the database itself is thrown (the listener lets it out: the message is
 * redelivered, and the sweeper takes the task over once its lease has expired).
 */
@ApplicationScoped
public class TaskWorker {

    private static final Logger LOG = Logger.getLogger(TaskWorker.class.getName());

    @Inject
    TaskDatabase database;

    @Inject
    TaskStore store;

    @Inject
    TaskOwner owner;

    @Inject
    WorkerSettings settings;

    @Inject
    TaskDispatch dispatch;

    @Inject
    TaskEndings endings;

    @Inject
    TaskExecution execution;

    @Inject
    RunningAttempts running;

    @Resource
    ManagedScheduledExecutorService scheduler;

    public void work(String taskId) {
        Optional<TaskStore.Claimed> claimed = database.call("claiming task " + taskId,
                () -> store.claim(taskId, owner.lease(TaskStore.now())));
        if (claimed.isEmpty()) {
            LOG.fine(() -> "task " + taskId + ": not due, or another worker has it; message dropped");
            return;
        }
        if (claimed.get().cancelRequested()) {
            end(taskId, true, null);
            return;
        }
        RowAttempt attempt = new RowAttempt(claimed.get(), owner.id(), database, store);
        if (!running.started(attempt)) {
            release(taskId); // claimed as the node began to stop
            return;
        }
        long beat = settings.lease().dividedBy(4).toMillis();
        ScheduledFuture<?> heartbeat = scheduler.scheduleWithFixedDelay(() -> heartbeat(attempt), beat, beat,
                TimeUnit.MILLISECONDS);
        try {
            run(attempt, claimed.get().view());
        } finally {
            heartbeat.cancel(false);
        }
    }

    private void run(RowAttempt attempt, TaskView task) {
        String taskId = task.taskId();
        try {
            try {
                execution.run(attempt);
            } finally {
                running.ended(attempt);
            }
        } catch (RuntimeException e) {
            // the row could not be written, however the execution passed that on: the row stays the truth
            if (databaseFailure(e)) {
                throw e;
            }
            if (attempt.halted() || running.stopping()) {
                // What the stop made fail is not the task's failure: an interrupted wait, or a retrieval cut off by
                // a backend that closed its connections as the deployment stops, which may come before the halt.
                LOG.fine(() -> "task " + taskId + ": stopped with the node by " + e);
                release(taskId);
            } else if (e instanceof GatewayException failure) {
                failed(attempt, task, failure);
            } else {
                LOG.log(Level.SEVERE, "task " + taskId + ": its execution failed unexpectedly", e);
                end(taskId, attempt.stopped(), "internal error in the gateway: " + e);
            }
            return;
        }
        if (attempt.halted()) {
            release(taskId);
        } else {
            end(taskId, attempt.stopped(), null);
        }
    }

    /** The node stops: the task is left to the next deployment or another node, where it resumes. */
    private void release(String taskId) {
        Instant now = TaskStore.now();
        String reason = "stopped at " + now + " because the gateway stopped (undeployed or shut down) while it ran;"
                + " resumes where it was";
        if (database.call("releasing task " + taskId, () -> store.release(taskId, owner.id(), reason, now))) {
            LOG.info("task " + taskId + ": stopped with the node, left SCHEDULED to resume");
        }
    }

    /** The attempt failed as a whole: retried if the failure is transient and attempts are left, else FAILED. */
    private void failed(RowAttempt attempt, TaskView task, GatewayException failure) {
        String taskId = task.taskId();
        int attempts = task.attempts();
        RetryPolicy retry = settings.retry();
        if (attempt.stopped()) {
            end(taskId, true, null);
        } else if (retry.retries(attempts, failure)) {
            Duration delay = retry.delayAfter(attempts);
            Instant now = TaskStore.now();
            Instant at = now.plus(delay);
            String reason = "attempt " + attempts + " of " + retry.maxAttempts() + " failed: " + failure.getMessage()
                    + "; tried again at " + at;
            if (database.call("scheduling task " + taskId + "'s retry",
                    () -> store.retry(taskId, owner.id(), reason, at, now))) {
                dispatch.send(taskId, task.request().priority(), at);
            }
        } else {
            end(taskId, false, RetryPolicy.isTransient(failure) && attempts > 1
                    ? "failed after " + attempts + " attempts: " + failure.getMessage() : failure.getMessage());
        }
    }

    private void end(String taskId, boolean cancelled, String failure) {
        database.call("ending task " + taskId, () -> store.finish(taskId, owner.id(), cancelled, failure,
                TaskStore.now())).ifPresent(endings::ended);
    }

    private void heartbeat(RowAttempt attempt) {
        try {
            attempt.heartbeat();
        } catch (RuntimeException e) {
            LOG.warning("task " + attempt.request().taskId() + ": heartbeat failed (" + e.getMessage()
                    + "); its lease expires unless the next one succeeds");
        }
    }

    private static boolean databaseFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TaskDatabaseException) {
                return true;
            }
        }
        return false;
    }
}
