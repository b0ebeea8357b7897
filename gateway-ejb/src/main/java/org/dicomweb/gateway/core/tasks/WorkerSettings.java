package org.dicomweb.gateway.core.tasks;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.config.GatewayConfiguration;

/**
 * The task workers' keys (docs/configuration.md, "Retrieval tasks"), read at deployment (the sweeper starts with it,
 * so a bad value fails the deployment naming the key).
 */
@ApplicationScoped
public class WorkerSettings {

    @Inject
    GatewayConfiguration configuration;

    private RetryPolicy retry;
    private Duration lease;

    @PostConstruct
    void read() {
        retry = RetryPolicy.read(configuration.values());
        lease = Duration.ofMillis(configuration.values().integer("gateway.tasks.lease-ms", 60_000, 1000,
                Integer.MAX_VALUE));
    }

    public RetryPolicy retry() {
        return retry;
    }

    /**
     * How long a running task's row stays its worker's without a heartbeat (sent every quarter of it); then another
     * worker may take the task over.
     */
    public Duration lease() {
        return lease;
    }
}
