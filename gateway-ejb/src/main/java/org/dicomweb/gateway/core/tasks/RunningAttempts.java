package org.dicomweb.gateway.core.tasks;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The attempts this node's workers run, and the thread of each, so that they can be stopped when the deployment
 * stops (docs/jobs.md, "Stopping and redeploying"): WildFly's deactivation of the Tasks listener waits for every
 * onMessage to return, and an attempt may run for hours. Once {@link #stopAll} began no attempt starts any more.
 */
@ApplicationScoped
public class RunningAttempts {

    private static final Logger LOG = Logger.getLogger(RunningAttempts.class.getName());

    private final Map<RowAttempt, Thread> running = new ConcurrentHashMap<>();
    private final Object changed = new Object();
    private volatile boolean stopping;

    /** True once the node stops. */
    boolean stopping() {
        return stopping;
    }

    /**
     * The calling thread runs {@code attempt} until it calls {@link #ended}; false if the node stops already (the
     * caller must not run it). Registering before reading the flag, and {@link #stopAll} setting it before reading
     * the map, make sure one of the two sees the other.
     */
    boolean started(RowAttempt attempt) {
        running.put(attempt, Thread.currentThread());
        if (stopping) {
            ended(attempt);
            return false;
        }
        return true;
    }

    /**
     * The execution of {@code attempt} returned. An interrupt of {@link #stopAll} can only have come before this
     * (it interrupts under the map's lock of the entry), and is cleared: it was there to end a wait of the execution,
     * and must not fail the writes of the task's row that follow.
     */
    void ended(RowAttempt attempt) {
        running.remove(attempt);
        Thread.interrupted();
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /**
     * Tells every running attempt to stop (each sees it at its next step: the next part of a retrieval, the next
     * retrieval, every half second of a wait for a delivery slot), interrupts the threads of those still running
     * after {@code graceMs} (to end a wait for a peer's answer to start, which watches no flag), and returns when all
     * ended or at {@code deadlineMs}. What is still running then is in a read or write of a peer's socket, which an
     * interrupt does not end: it ends with that peer's timeout, and the undeploy waits for it.
     */
    void stopAll(long graceMs, long deadlineMs) {
        stopping = true;
        if (running.isEmpty()) {
            return;
        }
        LOG.info("stopping " + running.size() + " running task attempts: the deployment stops; their tasks are left"
                + " SCHEDULED, and resume on the next deployment or on another node");
        running.keySet().forEach(RowAttempt::halt);
        long start = System.nanoTime();
        if (awaitNone(start, graceMs)) {
            return;
        }
        running.keySet().forEach(attempt -> running.computeIfPresent(attempt, (a, thread) -> {
            thread.interrupt();
            return thread;
        }));
        if (!awaitNone(start, deadlineMs)) {
            LOG.warning(running.size() + " task attempts still run " + deadlineMs + " ms after they were told to stop"
                    + " (a peer does not answer): the undeploy waits for them until that peer's timeout");
        }
    }

    /** True if no attempt runs any more, waiting until {@code start + ms} at most. */
    private boolean awaitNone(long start, long ms) {
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(ms);
        synchronized (changed) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(changed, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running.isEmpty();
                }
            }
            return true;
        }
    }
}
