package org.dicomweb.gateway.core.tasks;

import java.time.Instant;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.tasks.store.TaskDatabase;
import org.dicomweb.gateway.core.tasks.store.TaskStore;

/**
 * Makes sure no task waits for a message that is gone (docs/jobs.md, "No lost task"): at deployment and every 10 s it
 * sends a message again for each task that is due and whose last message is older than the lease, and for each
 * running task whose worker is gone (its lease expired, or it ran on an earlier boot of this node: a server killed in
 * the middle). Cluster-safe: it decides from the rows alone, and a conditional UPDATE lets one node send each
 * message; the claim decides who runs the task.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TaskSweeper {

    private static final Logger LOG = Logger.getLogger(TaskSweeper.class.getName());
    private static final long FIRST_MS = 1_000;
    private static final long EVERY_MS = 10_000;
    /** Messages sent by one sweep at most; the rest follow 10 s later. */
    private static final int BATCH = 500;

    @Resource
    TimerService timers;

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
    RunningAttempts running;

    private volatile String lastFailure;

    @PostConstruct
    void start() {
        settings.lease();
        timers.createIntervalTimer(FIRST_MS, EVERY_MS, new TimerConfig(null, false));
    }

    @Timeout
    void sweep() {
        if (running.stopping()) {
            return; // what the stop releases is for the next deployment's sweeper, or another node's
        }
        try {
            Instant now = TaskStore.now();
            Instant queuedBefore = now.minus(settings.lease());
            int sent = 0;
            for (TaskStore.Requeue task : database.call("finding tasks whose message is lost",
                    () -> store.lostMessages(owner.lease(now), queuedBefore, BATCH))) {
                if (database.call("marking task " + task.taskId() + " queued",
                        () -> store.markQueued(task.taskId(), queuedBefore, now))) {
                    dispatch.send(task.taskId(), task.priority(), now);
                    sent++;
                }
            }
            if (sent > 0) {
                LOG.info("task sweeper: sent " + sent + " messages again (tasks due or left by a stopped worker)");
            }
            lastFailure = null;
        } catch (RuntimeException e) {
            // once per kind of failure, not every 10 s while the database is down
            if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                LOG.warning("task sweeper: " + e.getMessage());
            }
            lastFailure = String.valueOf(e.getMessage());
        }
    }
}
