package org.dicomweb.gateway.core.metrics;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters one part of the gateway registered on WildFly's registry, removed again when that part stops. The
 * registry is the server's and outlives the deployment: without the removal, a redeployed gateway would be handed its
 * predecessor's gauges again (same name and tags), bound to objects of the old deployment.
 */
public final class MeterSet implements AutoCloseable {

    /** Every gateway meter's name begins with this; Prometheus shows it as {@code dicomweb_gateway_}. */
    public static final String PREFIX = "dicomweb.gateway.";

    /**
     * The histogram buckets of the gateway's timers, from a cached metadata read or a C-ECHO (milliseconds) to a
     * whole-study retrieval (minutes).
     */
    public static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final Set<Meter> meters = ConcurrentHashMap.newKeySet();

    public MeterSet(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Keeps {@code meter} (just registered on {@link #registry()}) for removal. */
    public <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
