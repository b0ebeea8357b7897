package org.dicomweb.gateway.core.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.error.GatewayBusyException;

/**
 * Work that runs on a bounded executor and hands its result over once it has started (a search whose first match has
 * arrived, a retrieval whose first instance is arriving), then goes on in the same task: the caller's stage
 * completes early while the work keeps its thread. A full executor is a 503 at once; a failure before the hand-over
 * fails the stage; one after it (the caller already writing) is only logged, since the writer sees it itself.
 */
public final class HandedOverWork {

    private static final Logger LOG = Logger.getLogger(HandedOverWork.class.getName());

    private HandedOverWork() {
    }

    /**
     * Runs {@code work} on {@code executor}, giving it the stage to complete; {@code operation} names it for
     * messages ("a search on ORTHANC"), {@code threads} names the executor ("DIMSE").
     */
    public static <T> CompletableFuture<T> start(Executor executor, String threads, String operation,
            Consumer<CompletableFuture<T>> work) {
        CompletableFuture<T> started = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    work.accept(started);
                } catch (RuntimeException e) {
                    if (!started.completeExceptionally(e)) {
                        LOG.log(Level.FINE, operation + " ended with a failure after it was handed over", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            throw new GatewayBusyException("no free " + threads + " thread for " + operation + "; try again later");
        }
        return started;
    }

    /**
     * {@code work} on {@code executor}, its result (or failure) completing the stage when it ends: for work that has
     * nothing to hand over before it is done. A full executor is a 503 at once.
     */
    public static <T> CompletableFuture<T> call(Executor executor, String threads, String operation,
            Callable<T> work) {
        return start(executor, threads, operation, result -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
    }
}
