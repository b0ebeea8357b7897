package org.dicomweb.gateway.core.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.access.RequestMetrics;

/**
 * The HTTP meters (docs/metrics.md): requests by service, AE, backend and status with their durations as a histogram,
 * and the body bytes received and sent. Each label combination's meters are built once and then only looked up.
 */
@ApplicationScoped
public class HttpMeters implements RequestMetrics {

    @Inject
    MeterRegistry registry;

    @Inject
    GatewayConfiguration configuration;

    private MeterSet meters;
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<BodyKey, Counter[]> bodies = new ConcurrentHashMap<>();

    private record RequestKey(Service service, String aet, int status) {
    }

    private record BodyKey(Service service, String aet) {
    }

    @PostConstruct
    void start() {
        meters = new MeterSet(registry);
    }

    @PreDestroy
    void stop() {
        meters.close();
    }

    @Override
    public void answered(RequestTarget target, int status, long nanos, long bytesReceived, long bytesSent) {
        GatewaySettings settings = configuration.settings();
        String aet = AeLabels.aet(settings, target.aet());
        requests.computeIfAbsent(new RequestKey(target.service(), aet, status), key -> meters.add(
                Timer.builder(MeterSet.PREFIX + "http.requests")
                        .description("HTTP requests answered, by service, AE, backend and status; the duration runs"
                                + " from the request's arrival to its response body's last byte")
                        .tags(tags(settings, key.service(), key.aet()).and("status", Integer.toString(key.status())))
                        .serviceLevelObjectives(MeterSet.DURATION_BUCKETS)
                        .register(meters.registry())))
                .record(nanos, TimeUnit.NANOSECONDS);
        Counter[] bytes = bodies.computeIfAbsent(new BodyKey(target.service(), aet), key -> new Counter[] {
            bytesCounter("http.received", "HTTP request body bytes read from clients", settings, key),
            bytesCounter("http.sent", "HTTP response body bytes written to clients", settings, key)});
        if (bytesReceived > 0) {
            bytes[0].increment(bytesReceived);
        }
        if (bytesSent > 0) {
            bytes[1].increment(bytesSent);
        }
    }

    private Counter bytesCounter(String name, String description, GatewaySettings settings, BodyKey key) {
        return meters.add(Counter.builder(MeterSet.PREFIX + name).baseUnit("bytes").description(description)
                .tags(tags(settings, key.service(), key.aet())).register(meters.registry()));
    }

    private static Tags tags(GatewaySettings settings, Service service, String aet) {
        return Tags.of("service", service.name().toLowerCase(Locale.ROOT), "aet", aet,
                "backend", AeLabels.backend(settings, aet));
    }
}
