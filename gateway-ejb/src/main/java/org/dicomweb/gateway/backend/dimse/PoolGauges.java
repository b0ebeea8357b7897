package org.dicomweb.gateway.backend.dimse;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.aets.PoolState;
import org.dicomweb.gateway.core.metrics.MeterSet;

/**
 * The association pools' gauges (docs/metrics.md), per remote AE and kind of pool: associations open, busy and idle,
 * and callers waiting for one. Registered for every kind from the start (0 until a pool of that kind is opened), read
 * from the pools' own counts when scraped. The retrieve pools (one per set of transfer syntaxes) add up under one
 * kind, so that the labels stay few.
 */
final class PoolGauges implements AutoCloseable {

    /** The kinds of pool, as {@link PoolState#purpose()} begins. */
    private static final List<String> KINDS = List.of("query", "fuzzy query", "store", "retrieve");

    private final MeterSet meters;

    PoolGauges(MeterRegistry registry, Collection<String> aets, Function<String, List<PoolState>> states) {
        meters = new MeterSet(registry);
        for (String aet : aets) {
            for (String kind : KINDS) {
                associations(aet, kind, "open", PoolState::open, states);
                associations(aet, kind, "busy", PoolState::busy, states);
                associations(aet, kind, "idle", PoolState::idle, states);
                meters.add(Gauge.builder(MeterSet.PREFIX + "dimse.pool.waiting",
                        () -> sum(states.apply(aet), kind, PoolState::waiting))
                        .description("Callers waiting for an association of the AE's pools")
                        .tag("aet", aet).tag("pool", label(kind)).register(registry));
            }
        }
    }

    private void associations(String aet, String kind, String state, ToIntFunction<PoolState> count,
            Function<String, List<PoolState>> states) {
        meters.add(Gauge.builder(MeterSet.PREFIX + "dimse.pool.associations",
                () -> sum(states.apply(aet), kind, count))
                .description("Associations of the AE's pools: open (busy + idle), busy, idle")
                .tag("aet", aet).tag("pool", label(kind)).tag("state", state).register(meters.registry()));
    }

    private static int sum(List<PoolState> pools, String kind, ToIntFunction<PoolState> count) {
        return pools.stream().filter(pool -> pool.purpose().equals(kind) || pool.purpose().startsWith(kind + " "))
                .mapToInt(count).sum();
    }

    private static String label(String kind) {
        return kind.replace(' ', '-');
    }

    @Override
    public void close() {
        meters.close();
    }
}
