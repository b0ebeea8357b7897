package org.dicomweb.gateway.backend.s3;

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
 * The AEs served by the S3 backend, read and validated at deployment (and by a configuration reload, which replaces the changed ones), each with its {@link Bucket}; and the gateway's
 * executor, on which S3 requests run so that HTTP workers never wait on the store.
 */
@ApplicationScoped
public class S3Buckets {

    /** The gateway's managed executor (wildfly-config/gateway.cli), shared with the other backends and STOW-RS. */
    @Resource(lookup = GatewayExecutor.JNDI)
    ManagedExecutorService executor;

    @Inject
    GatewayConfiguration configuration;

    private AeClients<S3Settings, Bucket> buckets;

    @PostConstruct
    void start() {
        buckets = new AeClients<>(executor);
        buckets.update(read(configuration.snapshot()), Bucket::new);
    }

    /** Each of its AEs' settings in a configuration, validated (a ConfigurationException names the bad key). */
    public Map<String, S3Settings> read(ConfigSnapshot snapshot) {
        S3SettingsReader reader = new S3SettingsReader(snapshot.values());
        Map<String, S3Settings> byAet = new LinkedHashMap<>();
        for (String aet : snapshot.settings().aetsServedBy(S3Backend.NAME)) {
            byAet.put(aet, reader.read(aet));
        }
        return byAet;
    }

    /** After a configuration reload: new clients for the AEs whose settings changed, the old ones retired. */
    void reconfigure(@Observes ConfigurationChanged change) {
        buckets.update(read(change.current()), Bucket::new);
    }

    @PreDestroy
    void stop() {
        buckets.close();
    }

    public Bucket of(String aet) {
        return buckets.of(aet);
    }

    public GatewaySettings gateway() {
        return configuration.settings();
    }

    public ManagedExecutorService executor() {
        return executor;
    }

    /** {@code work} on the executor; 503 when the executor takes no more work. */
    public <T> CompletionStage<T> run(String aet, String what, Callable<T> work) {
        return HandedOverWork.call(executor, "gateway", what + " on " + aet, work);
    }
}
