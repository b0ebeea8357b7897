package org.dicomweb.gateway.core.tasks.run;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * Waits on a service's stage from the task's own thread. The backends bound their stages by the AE's timeouts; the
 * deadline here is the last guard that no task thread waits forever. A result that comes after it is released.
 */
final class Stages {

    /** Longer than any AE's pool wait, connect and first-response timeouts together. */
    static final long START_DEADLINE_MS = 10 * 60 * 1000;

    private Stages() {
    }

    /** The stage's result; its GatewayException as it is; {@code what} names the operation and its peer. */
    static <T> T await(CompletionStage<T> stage, String what, Consumer<T> release) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.get(START_DEADLINE_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof GatewayException failure) {
                throw failure;
            }
            throw new PeerFailureException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.thenAccept(release);
            throw new PeerTimeoutException(what + " did not start within " + START_DEADLINE_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(release);
            throw new PeerTimeoutException(what + " was interrupted (the server is stopping)", e);
        }
    }
}
