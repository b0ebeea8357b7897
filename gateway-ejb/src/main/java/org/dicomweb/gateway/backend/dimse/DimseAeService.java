package org.dicomweb.gateway.backend.dimse;

import org.dicomweb.gateway.backend.dimse.association.AssociationPool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.error.UnknownAeException;

/** {@link AeService} over DIMSE: the configured remote AEs, and C-ECHO on their pooled associations. */
@ApplicationScoped
public class DimseAeService implements AeService {

    @Inject
    DimseDevice device;

    @Override
    public List<AeDescription> list() {
        return device.settings().remoteAes().values().stream().map(ae -> new AeDescription(ae.aet(), ae.host(),
                ae.port(), ae.callingAet(), device.poolStates(ae.aet()))).toList();
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
        return Deadlines.within(echo, ae);
    }
}
