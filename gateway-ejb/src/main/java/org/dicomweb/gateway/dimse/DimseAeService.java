package org.dicomweb.gateway.dimse;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.config.RemoteAe;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.error.UnknownAeException;

/** {@link AeService} over DIMSE: the configured remote AEs, and C-ECHO on their pooled associations. */
@ApplicationScoped
public class DimseAeService implements AeService {

    @Inject
    DimseDevice device;

    @Override
    public List<AeDescription> list() {
        return device.settings().remoteAes().values().stream()
                .map(ae -> new AeDescription(ae.aet(), ae.host(), ae.port(), ae.callingAet()))
                .toList();
    }

    @Override
    public CompletionStage<EchoResult> echo(String aet) {
        AssociationPool pool = device.pool(aet).orElseThrow(() -> new UnknownAeException(aet));
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow();
        CompletableFuture<EchoResult> echo = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            pool.execute(association -> {
                association.echo();
                return null;
            });
            return new EchoResult(aet, (System.nanoTime() - start) / 1e6);
        }, device.executor());
        return withDeadline(echo, ae);
    }

    /**
     * Socket timeouts bound each step, but PixelMed's association request has no read timeout of its own; the
     * deadline makes sure the caller gets an answer even then.
     */
    private static <T> CompletionStage<T> withDeadline(CompletableFuture<T> future, RemoteAe ae) {
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
