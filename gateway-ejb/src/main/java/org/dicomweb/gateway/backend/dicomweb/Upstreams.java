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
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.concurrent.HandedOverWork;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.error.UnknownAeException;

/**
 * The AEs served by the DICOMweb backend, read and validated at deployment, each with its {@link Upstream}; and the
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

    private Map<String, Upstream> upstreams;

    @PostConstruct
    void start() {
        UpstreamSettingsReader reader = new UpstreamSettingsReader(configuration.values());
        Map<String, Upstream> byAet = new LinkedHashMap<>();
        for (String aet : configuration.settings().aetsServedBy(DicomwebBackend.NAME)) {
            byAet.put(aet, new Upstream(reader.read(aet)));
        }
        upstreams = byAet;
    }

    @PreDestroy
    void stop() {
        upstreams.values().forEach(Upstream::close);
    }

    Upstream of(String aet) {
        Upstream upstream = upstreams.get(aet);
        if (upstream == null) {
            throw new UnknownAeException(aet);
        }
        return upstream;
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
