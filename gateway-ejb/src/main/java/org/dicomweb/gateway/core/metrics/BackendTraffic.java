package org.dicomweb.gateway.core.metrics;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bytes the gateway exchanged with the upstream of an HTTP backend (docs/metrics.md): a DICOMweb server's or an S3
 * store's message bodies, per AE and backend. The AE label is always a configured AE (a backend's clients exist only
 * for those), so the series are bounded.
 */
@ApplicationScoped
public class BackendTraffic {

    @Inject
    MeterRegistry registry;

    private MeterSet meters;
    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

    private record Key(String aet, String backend) {
    }

    /** The body bytes sent to and received from one AE's upstream. */
    public record Counters(Counter sent, Counter received) {

        /** {@code body} (read from the upstream), counting each read's bytes into {@link #received} as it passes. */
        public InputStream counted(InputStream body) {
            return new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        received.increment();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        received.increment(n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = super.skip(n);
                    received.increment(skipped);
                    return skipped;
                }
            };
        }
    }

    @PostConstruct
    void start() {
        meters = new MeterSet(registry);
    }

    @PreDestroy
    void stop() {
        meters.close();
    }

    /** The counters of {@code aet} (a configured AE) of {@code backend}, built on first use. */
    public Counters of(String aet, String backend) {
        return counters.computeIfAbsent(new Key(aet, backend), key -> new Counters(
                bytes("sent", "Body bytes the gateway sent to the AE's upstream (DICOMweb server, S3 store)", key),
                bytes("received", "Body bytes the gateway received from the AE's upstream", key)));
    }

    private Counter bytes(String direction, String description, Key key) {
        return meters.add(Counter.builder(MeterSet.PREFIX + "backend." + direction).baseUnit("bytes")
                .description(description).tag("aet", key.aet()).tag("backend", key.backend())
                .register(meters.registry()));
    }
}
