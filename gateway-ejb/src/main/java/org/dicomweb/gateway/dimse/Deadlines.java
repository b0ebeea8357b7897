package org.dicomweb.gateway.dimse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dicomweb.gateway.config.RemoteAe;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * Socket timeouts bound each DIMSE step, but PixelMed's association request has no read timeout of its own: a
 * deadline on the whole operation makes sure the caller gets an answer even then.
 */
final class Deadlines {

    private Deadlines() {
    }

    static <T> CompletionStage<T> within(CompletableFuture<T> future, RemoteAe ae) {
        long deadlineMs = (long) ae.poolWaitTimeoutMs() + ae.connectTimeoutMs() + 2L * ae.dimseTimeoutMs();
        return future.orTimeout(deadlineMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                cause = new PeerTimeoutException(ae.aet() + ": no answer within " + deadlineMs + " ms", cause);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
