package org.dicomweb.gateway.backend.dimse.association;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.dicomweb.gateway.core.metrics.MeterSet;

/**
 * The DIMSE operations' durations (docs/metrics.md) by AE, operation and outcome: from the request sent to the final
 * response (or the failure that ended the operation without one); and the bytes sent and received per AE on the
 * associations the gateway initiated. Associations are made without the device at hand
 * (pools, a STOW-RS's own association), so the meters are this deployment's one installed instance, as
 * {@link DimseAssociation}'s set of open associations is: the device installs them at its start and closes them at
 * its end; until then nothing is recorded (unit tests).
 */
public final class OperationMeters implements AutoCloseable {

    private static volatile OperationMeters installed;

    private final MeterSet meters;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

    /** The byte counters of one AE's associations. */
    record Traffic(Counter sent, Counter received) {
    }

    private record Key(String aet, String operation, String outcome) {
    }

    private OperationMeters(MeterRegistry registry) {
        meters = new MeterSet(registry);
    }

    public static OperationMeters install(MeterRegistry registry) {
        OperationMeters meters = new OperationMeters(registry);
        installed = meters;
        return meters;
    }

    @Override
    public void close() {
        if (installed == this) {
            installed = null;
        }
        meters.close();
    }

    static void record(String aet, String operation, String outcome, long nanos) {
        OperationMeters meters = installed;
        if (meters != null) {
            meters.timers.computeIfAbsent(new Key(aet, operation, outcome), key -> meters.meters.add(
                    Timer.builder(MeterSet.PREFIX + "dimse.operations")
                            .description("DIMSE operations the gateway initiated, by AE, operation and outcome: from"
                                    + " the request sent to the final response")
                            .tag("aet", key.aet()).tag("operation", key.operation()).tag("outcome", key.outcome())
                            .serviceLevelObjectives(MeterSet.DURATION_BUCKETS)
                            .register(meters.meters.registry())))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The byte counters of an AE's associations; null while no meters are installed. */
    static Traffic traffic(String aet) {
        OperationMeters meters = installed;
        return meters == null ? null : meters.traffic.computeIfAbsent(aet, key -> new Traffic(
                meters.bytes("sent", "PDU bytes the gateway sent on its associations to the AE", aet),
                meters.bytes("received", "PDU bytes the gateway received on its associations to the AE", aet)));
    }

    private Counter bytes(String direction, String description, String aet) {
        return meters.add(Counter.builder(MeterSet.PREFIX + "dimse." + direction).baseUnit("bytes")
                .description(description).tag("aet", aet).register(meters.registry()));
    }

    /**
     * The outcome label of a final response's status (PS3.7 C): success, warning (0001, 0107, 0116, Bxxx), cancel
     * (FE00) or failure (any other: Axxx, Cxxx, 01xx, 02xx). The Storage SCP's C-STOREs are labelled so too.
     */
    public static String outcome(int status) {
        if (status == 0) {
            return "success";
        }
        if (status == 0x0001 || status == 0x0107 || status == 0x0116 || (status & 0xF000) == 0xB000) {
            return "warning";
        }
        return status == 0xFE00 ? "cancel" : "failure";
    }

    /** The outcome label of an operation that ended without a final response (network failure, timeout, abort). */
    public static final String ERROR = "error";
}
