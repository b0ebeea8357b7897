package org.dicomweb.gateway.core.tasks.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * How many tasks of this node deliver to one destination at once ({@code
 * gateway.tasks.max-deliveries-per-destination}): a task holds one slot from its first batch to its last, so it has
 * at most one destination transaction open. A task waits for a slot a bounded time, watching for its cancel; then it
 * is refused as busy (and retried later), rather than holding its worker thread.
 */
final class DeliverySlots {

    /** A slot is asked for in steps of this, so that a cancel is seen while waiting. */
    private static final long STEP_MS = 500;

    private final int perDestination;
    private final long waitMs;
    private final Map<String, Semaphore> byDestination = new ConcurrentHashMap<>();

    DeliverySlots(int perDestination, long waitMs) {
        this.perDestination = perDestination;
        this.waitMs = waitMs;
    }

    /** Held until closed. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot for {@code destination}, or empty (null) if {@code cancelled} turned true while waiting. */
    Slot acquire(String destination, BooleanSupplier cancelled) {
        Semaphore slots = byDestination.computeIfAbsent(destination, d -> new Semaphore(perDestination, true));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        try {
            while (!slots.tryAcquire(STEP_MS, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    return null;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new GatewayBusyException(destination + ": " + perDestination + " tasks deliver to it already"
                            + " and none finished within " + waitMs + " ms (gateway.tasks.max-deliveries-per-destination)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayBusyException(destination + ": interrupted while waiting for a delivery slot");
        }
        return slots::release;
    }
}
