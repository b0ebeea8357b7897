package org.dicomweb.gateway.backend.s3;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Work on a list of items, run ahead of its consumer in a window of at most {@code window} tasks and taken in list
 * order: the store's latency is paid once per window, not once per item, and what is held stays bounded by the
 * window whatever the list's length. Results not taken (the consumer stopped) are given to {@code discard}. Used by
 * the retrievals and by the reindex.
 */
public final class Prefetch<I, R> {

    /** The work on one item, on an executor thread. */
    @FunctionalInterface
    public interface Task<I, R> {
        R run(I item) throws IOException;
    }

    private record Pending<I, R>(I item, CompletableFuture<R> result) {
    }

    private final Iterator<I> items;
    private final Function<I, String> name;
    private final Task<I, R> task;
    private final Consumer<R> discard;
    private final Executor executor;
    private final long deadlineMs;
    private final ArrayDeque<Pending<I, R>> inFlight = new ArrayDeque<>();

    /** {@code deadlineMs} bounds the wait for each result (the task itself should be bounded by its own timeouts). */
    public Prefetch(List<I> items, Function<I, String> name, int window, Executor executor, long deadlineMs,
            Task<I, R> task, Consumer<R> discard) {
        this.items = items.iterator();
        this.name = name;
        this.task = task;
        this.discard = discard;
        this.executor = executor;
        this.deadlineMs = deadlineMs;
        while (inFlight.size() < window && this.items.hasNext()) {
            submitNext();
        }
    }

    private void submitNext() {
        I item = items.next();
        CompletableFuture<R> result = new CompletableFuture<>();
        Runnable work = () -> {
            try {
                result.complete(task.run(item));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            work.run(); // no thread free: the consumer's thread does it (slower, never lost)
        }
        inFlight.add(new Pending<>(item, result));
    }

    public boolean hasNext() {
        return !inFlight.isEmpty();
    }

    /** The next item in list order (its result may still be under way). */
    public I peekItem() {
        return inFlight.peek().item();
    }

    /** The next result in list order, waited for; the window moves on by one. */
    public R next() throws IOException {
        Pending<I, R> pending = inFlight.poll();
        if (items.hasNext()) {
            submitNext();
        }
        try {
            return pending.result().get(deadlineMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (TimeoutException e) {
            pending.result().thenAccept(discard);
            throw new IOException(name.apply(pending.item()) + " was not ready within " + deadlineMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result().thenAccept(discard);
            throw new IOException("interrupted while waiting for " + name.apply(pending.item()), e);
        }
    }

    /** Every result still under way goes to {@code discard} as it ends. */
    public void abandon() {
        for (Pending<I, R> pending; (pending = inFlight.poll()) != null; ) {
            pending.result().thenAccept(discard);
        }
    }
}
