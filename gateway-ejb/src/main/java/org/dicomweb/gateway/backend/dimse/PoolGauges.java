package org.dicomweb.gateway.backend.dimse;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.aets.PoolState;
import org.dicomweb.gateway.core.metrics.MeterSet;

/**
 * The association pools' gauges (docs/metrics.md), per remote AE and kind of pool: associations open, busy and idle,
 * and callers waiting for one. Registered for every kind (0 until a pool of that kind is opened), read from the pools'
 * own counts when scraped. The retrieve pools (one per set of transfer syntaxes) add up under one kind, so that the
 * labels stay few. {@link #refresh} follows the configured AEs: an AE added by a configuration reload gets its gauges,
 * a removed one loses them.
 */
final class PoolGauges implements AutoCloseable {

    /** The kinds of pool, as {@link PoolState#purpose()} begins. */
    private static final List<String> KINDS = List.of("query", "fuzzy query", "store", "retrieve");

    private final MeterRegistry registry;
    private final Function<String, List<PoolState>> states;
    private final Map<String, MeterSet> byAet = new ConcurrentHashMap<>();

    PoolGauges(MeterRegistry registry, Function<String, List<PoolState>> states) {
        this.registry = registry;
        this.states = states;
    }

    /** Gauges for exactly these AEs. */
    synchronized void refresh(Collection<String> aets) {
        byAet.keySet().removeIf(aet -> {
            boolean gone = !aets.contains(aet);
            if (gone) {
                byAet.get(aet).close();
            }
            return gone;
        });
        aets.forEach(aet -> byAet.computeIfAbsent(aet, this::register));
    }

    private MeterSet register(String aet) {
        MeterSet meters = new MeterSet(registry);
        for (String kind : KINDS) {
            associations(meters, aet, kind, "open", PoolState::open);
            associations(meters, aet, kind, "busy", PoolState::busy);
            associations(meters, aet, kind, "idle", PoolState::idle);
            meters.add(Gauge.builder(MeterSet.PREFIX + "dimse.pool.waiting",
                    () -> sum(states.apply(aet), kind, PoolState::waiting))
                    .description("Callers waiting for an association of the AE's pools")
                    .tag("aet", aet).tag("pool", label(kind)).register(registry));
        }
        return meters;
    }

    private void associations(MeterSet meters, String aet, String kind, String state, ToIntFunction<PoolState> count) {
        meters.add(Gauge.builder(MeterSet.PREFIX + "dimse.pool.associations",
                () -> sum(states.apply(aet), kind, count))
                .description("Associations of the AE's pools: open (busy + idle), busy, idle")
                .tag("aet", aet).tag("pool", label(kind)).tag("state", state).register(registry));
    }

    private static int sum(List<PoolState> pools, String kind, ToIntFunction<PoolState> count) {
        return pools.stream().filter(pool -> pool.purpose().equals(kind) || pool.purpose().startsWith(kind + " "))
                .mapToInt(count).sum();
    }

    private static String label(String kind) {
        return kind.replace(' ', '-');
    }

    @Override
    public synchronized void close() {
        byAet.values().forEach(MeterSet::close);
        byAet.clear();
    }
}
