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
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.concurrent.HandedOverWork;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.error.UnknownAeException;

/**
 * The AEs served by the S3 backend, read and validated at deployment, each with its {@link Bucket}; and the gateway's
 * executor, on which S3 requests run so that HTTP workers never wait on the store.
 */
@ApplicationScoped
public class S3Buckets {

    /** The gateway's managed executor (wildfly-config/gateway.cli), shared with the other backends and STOW-RS. */
    @Resource(lookup = GatewayExecutor.JNDI)
    ManagedExecutorService executor;

    @Inject
    GatewayConfiguration configuration;

    private Map<String, Bucket> buckets;

    @PostConstruct
    void start() {
        S3SettingsReader reader = new S3SettingsReader(configuration.values());
        Map<String, Bucket> byAet = new LinkedHashMap<>();
        for (String aet : configuration.settings().aetsServedBy(S3Backend.NAME)) {
            byAet.put(aet, new Bucket(reader.read(aet)));
        }
        buckets = byAet;
    }

    @PreDestroy
    void stop() {
        buckets.values().forEach(Bucket::close);
    }

    public Bucket of(String aet) {
        Bucket bucket = buckets.get(aet);
        if (bucket == null) {
            throw new UnknownAeException(aet);
        }
        return bucket;
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
