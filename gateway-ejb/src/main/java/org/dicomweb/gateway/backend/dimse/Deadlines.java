package org.dicomweb.gateway.backend.dimse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * Socket timeouts bound each step (connect, association, each DIMSE read), but an operation may take several: a
 * C-ECHO that finds a pooled association stale and a new association, or the level-by-level C-FINDs of a hierarchical
 * search before its first match. A deadline on the whole operation bounds the caller's wait.
 */
final class Deadlines {

    private Deadlines() {
    }

    static <T> CompletionStage<T> within(CompletableFuture<T> future, RemoteAe ae) {
        // a TLS handshake after the connect is bounded by the connect timeout too
        int connectMs = ae.tls() == null ? ae.connectTimeoutMs() : 2 * ae.connectTimeoutMs();
        long deadlineMs = (long) ae.poolWaitTimeoutMs() + connectMs + 2L * ae.dimseTimeoutMs();
        return future.orTimeout(deadlineMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                cause = new PeerTimeoutException(ae.aet() + ": no answer within " + deadlineMs + " ms", cause);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
