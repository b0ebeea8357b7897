package org.dicomweb.gateway.backend.dimse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.transfer.DirectMove;
import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendServices;
import org.dicomweb.gateway.core.backend.DirectTransfer;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.wado.CachedMetadataService;
import org.dicomweb.gateway.core.wado.CachedPixelService;
import org.dicomweb.gateway.core.wado.CachedWadoService;
import org.dicomweb.gateway.core.wado.StudyLeases;

/**
 * The DIMSE backend: AEs that are PACS reached by C-FIND, C-GET/C-MOVE and C-STORE on pooled associations
 * ({@link DimseDevice}). Metadata, frames, bulk data and rendered images come from the core's study cache, filled by a
 * whole-study retrieval; WADO-RS instance retrievals too, where the cache holds them fresh.
 */
@ApplicationScoped
public class DimseBackend implements Backend {

    public static final String NAME = "dimse";

    @Inject
    DimseDevice device;

    @Inject
    DimseQidoService qido;

    @Inject
    DimseWadoService wado;

    @Inject
    DimseStowService stow;

    @Inject
    StudyCache cache;

    private BackendServices services;
    private DirectMove directMove;

    @PostConstruct
    void start() {
        StudyLeases leases = new StudyLeases(cache, wado, qido, device.executor());
        services = new BackendServices(qido, new CachedWadoService(cache, wado, qido, device.executor()),
                new CachedMetadataService(leases, device.gateway().wadoBulkDataThresholdBytes()),
                new CachedPixelService(leases), stow);
        directMove = new DirectMove(device::settings, aet -> device.pool(aet).orElseThrow());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AeDescription describe(String aet) {
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", ae.host());
        settings.put("port", ae.port());
        settings.put("callingAet", ae.callingAet());
        settings.put("transport", ae.tls() == null ? "tcp" : "tls");
        return new AeDescription(aet, NAME, settings, device.poolStates(aet));
    }

    /** A C-ECHO on a pooled association, bounded by the AE's pool wait, connect and DIMSE timeouts. */
    @Override
    public CompletionStage<EchoResult> verify(String aet) {
        AssociationPool pool = device.pool(aet).orElseThrow();
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

    @Override
    public void check(ConfigSnapshot candidate) {
        DimseDevice.read(candidate);
    }

    @Override
    public BackendServices services() {
        return services;
    }

    /** A C-MOVE from one of its PACS straight to another DIMSE AE its {@code move-destinations} lists. */
    @Override
    public Optional<DirectTransfer> directTransfer() {
        return Optional.of(directMove);
    }
}
