package org.dicomweb.gateway.backend.dicomweb;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.backend.AeClients;
import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.concurrent.HandedOverWork;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigurationChanged;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;

/**
 * The AEs served by the DICOMweb backend, read and validated at deployment (and by a configuration reload, which replaces the changed ones), each with its {@link Upstream}; and the
 * gateway's executor, on which the blocking part of each exchange (up to its first bytes) runs so that the HTTP
 * worker returns at once.
 */
@ApplicationScoped
public class Upstreams {

    /** The gateway's managed executor (wildfly-config/gateway.cli), shared with the other backends and STOW-RS. */
    @Resource(lookup = GatewayExecutor.JNDI)
    ManagedExecutorService executor;

    @Inject
    GatewayConfiguration configuration;

    private AeClients<UpstreamSettings, Upstream> upstreams;

    @PostConstruct
    void start() {
        upstreams = new AeClients<>(executor);
        upstreams.update(read(configuration.snapshot()), Upstream::new);
    }

    /** Each of its AEs' settings in a configuration, validated (a ConfigurationException names the bad key). */
    Map<String, UpstreamSettings> read(ConfigSnapshot snapshot) {
        UpstreamSettingsReader reader = new UpstreamSettingsReader(snapshot.values());
        Map<String, UpstreamSettings> byAet = new LinkedHashMap<>();
        for (String aet : snapshot.settings().aetsServedBy(DicomwebBackend.NAME)) {
            byAet.put(aet, reader.read(aet));
        }
        return byAet;
    }

    /** After a configuration reload: new clients for the AEs whose settings changed, the old ones retired. */
    void reconfigure(@Observes ConfigurationChanged change) {
        upstreams.update(read(change.current()), Upstream::new);
    }

    @PreDestroy
    void stop() {
        upstreams.close();
    }

    Upstream of(String aet) {
        return upstreams.of(aet);
    }

    GatewaySettings gateway() {
        return configuration.settings();
    }

    ManagedExecutorService executor() {
        return executor;
    }

    /** {@code exchange} on the executor; 503 when the executor takes no more work. */
    <T> CompletionStage<T> run(String aet, String what, Callable<T> exchange) {
        return HandedOverWork.call(executor, "upstream", what + " on " + aet, exchange);
    }
}
