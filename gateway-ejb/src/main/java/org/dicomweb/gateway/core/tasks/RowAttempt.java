package org.dicomweb.gateway.core.tasks;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.dicomweb.gateway.core.tasks.store.TaskDatabase;
import org.dicomweb.gateway.core.tasks.store.TaskStore;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.tasks.TaskRequest;

/**
 * An attempt backed by the task's row: each record one transaction, conditional on this worker still owning the row.
 * Once it does not (the task was taken over), or the task is cancelled, or the node stops ({@link #halt}), {@link
 * #cancelled()} says so; what it records once the row is not its own changes nothing. Safe for the execution's
 * parallel deliveries.
 */
final class RowAttempt implements TaskAttempt {

    /** The cancel flag is read at most this often. */
    private static final long CANCEL_READ_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final TaskRequest request;
    private final Set<String> deliveredBefore;
    private final String owner;
    private final TaskDatabase database;
    private final TaskStore store;
    private final AtomicLong cancelReadAt = new AtomicLong(System.nanoTime() - CANCEL_READ_NANOS);
    private volatile boolean stop;
    private volatile boolean halted;

    RowAttempt(TaskStore.Claimed claimed, String owner, TaskDatabase database, TaskStore store) {
        this.request = claimed.view().request();
        this.deliveredBefore = Set.copyOf(claimed.delivered());
        this.owner = owner;
        this.database = database;
        this.store = store;
    }

    private String taskId() {
        return request.taskId();
    }

    @Override
    public TaskRequest request() {
        return request;
    }

    @Override
    public boolean deliveredBefore(String sopInstanceUid) {
        return deliveredBefore.contains(sopInstanceUid);
    }

    @Override
    public void method(String method) {
        owned(database.call("recording task " + taskId() + "'s method",
                () -> store.method(taskId(), owner, method, TaskStore.now())));
    }

    @Override
    public void remaining(Integer remaining) {
        owned(database.call("recording task " + taskId() + "'s remaining count",
                () -> store.remaining(taskId(), owner, remaining, TaskStore.now())));
    }

    @Override
    public void delivered(List<StowResult.Stored> stored, List<FailedInstance> failed) {
        owned(database.call("recording a batch of task " + taskId(),
                () -> store.record(taskId(), owner, stored, failed, TaskStore.now())));
    }

    @Override
    public void counts(Integer remaining, int completed, int failed, int warning, List<FailedInstance> failures) {
        owned(database.call("recording task " + taskId() + "'s counts",
                () -> store.counts(taskId(), owner, remaining, completed, failed, warning, failures, TaskStore.now())));
    }

    @Override
    public boolean cancelled() {
        long last = cancelReadAt.get();
        long now = System.nanoTime();
        if (!stop && now - last >= CANCEL_READ_NANOS && cancelReadAt.compareAndSet(last, now)) {
            boolean requested = database.call("reading task " + taskId() + "'s cancel flag",
                    () -> store.stopRequested(taskId(), owner));
            if (requested) {
                stop = true;
            }
        }
        return stop;
    }

    /**
     * Whether the execution was told to stop: the task was cancelled, or taken over (then the row is not this
     * worker's, and ending it changes nothing).
     */
    boolean stopped() {
        return stop;
    }

    /**
     * The node stops (undeploy, shutdown): the execution stops as for a cancel, but the task is left to resume
     * elsewhere or later instead of ending.
     */
    void halt() {
        halted = true;
        stop = true;
    }

    /** Whether {@link #halt} stopped it. */
    boolean halted() {
        return halted;
    }

    /** Called every quarter lease: keeps the row this worker's, or learns that it is not any more. */
    void heartbeat() {
        owned(database.call("the heartbeat of task " + taskId(),
                () -> store.heartbeat(taskId(), owner, TaskStore.now())));
    }

    private void owned(boolean owned) {
        if (!owned) {
            stop = true;
        }
    }
}
