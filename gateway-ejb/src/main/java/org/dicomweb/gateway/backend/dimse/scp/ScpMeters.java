package org.dicomweb.gateway.backend.dimse.scp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.backend.dimse.association.OperationMeters;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.core.metrics.AeLabels;
import org.dicomweb.gateway.core.metrics.MeterSet;

/**
 * The Storage SCP's meters (docs/metrics.md): the C-STOREs it received (those of the gateway's C-MOVEs and ingested
 * ones) by calling AE and outcome, and the PDU bytes received on its associations by calling AE. The calling AE label
 * is a title the configuration names (a DIMSE AE's, gateway.scp.accepted-calling-aets); any other title (let in by
 * gateway.scp.accept-any-calling-aet) is {@code unknown}, so a peer cannot make a series per title it invents.
 */
public final class ScpMeters implements AutoCloseable {

    private final MeterSet meters;
    private final Map<Key, Counter> stores = new ConcurrentHashMap<>();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();

    private record Key(String callingAet, String outcome) {
    }

    public ScpMeters(MeterRegistry registry) {
        meters = new MeterSet(registry);
    }

    /** The calling AE label of {@code callingAet}: the title if the configuration names it, else unknown. */
    static String callingAet(CallingAets callingAets, String callingAet) {
        String title = callingAet.strip();
        return callingAets.accepted().contains(title) ? title : AeLabels.UNKNOWN;
    }

    /** A C-STORE answered with {@code status}. */
    void stored(String callingAet, int status) {
        store(callingAet, OperationMeters.outcome(status));
    }

    /** A C-STORE whose association failed before it could be answered (connection lost, timeout). */
    void failed(String callingAet) {
        store(callingAet, OperationMeters.ERROR);
    }

    private void store(String callingAet, String outcome) {
        stores.computeIfAbsent(new Key(callingAet, outcome), key -> meters.add(
                Counter.builder(MeterSet.PREFIX + "scp.stores")
                        .description("C-STOREs the Storage SCP received, by calling AE and outcome")
                        .tag("calling_aet", key.callingAet()).tag("outcome", key.outcome())
                        .register(meters.registry())))
                .increment();
    }

    /** Told the bytes of each read on an association of {@code callingAet}. */
    LongConsumer received(String callingAet) {
        return received.computeIfAbsent(callingAet, key -> meters.add(
                Counter.builder(MeterSet.PREFIX + "scp.received").baseUnit("bytes")
                        .description("PDU bytes the Storage SCP received on its associations, by calling AE")
                        .tag("calling_aet", key).register(meters.registry())))::increment;
    }

    @Override
    public void close() {
        meters.close();
    }
}
