package org.dicomweb.gateway.backend.dimse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.dicomweb.gateway.aets.PoolState;

class PoolGaugesTest {

    private static final String ASSOCIATIONS = "dicomweb.gateway.dimse.pool.associations";

    private final Map<String, List<PoolState>> pools = Map.of(
            "PACS", List.of(new PoolState("query", 3, 1, 2, 4, 4),
                    new PoolState("retrieve 1.2.840.10008.1.2.1", 2, 2, 0, 0, 4),
                    new PoolState("retrieve 1.2.840.10008.1.2.4.50", 1, 0, 1, 1, 4)),
            "OTHER", List.of());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double value(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void eachKindOfPoolAddsUpUnderItsLabel() {
        try (PoolGauges gauges = new PoolGauges(registry, aet -> pools.getOrDefault(aet, List.of()))) {
            gauges.refresh(List.of("PACS", "OTHER"));
            assertEquals(3, value(ASSOCIATIONS, "aet", "PACS", "pool", "query", "state", "open"));
            assertEquals(2, value(ASSOCIATIONS, "aet", "PACS", "pool", "query", "state", "busy"));
            assertEquals(1, value(ASSOCIATIONS, "aet", "PACS", "pool", "query", "state", "idle"));
            assertEquals(4, value("dicomweb.gateway.dimse.pool.waiting", "aet", "PACS", "pool", "query"));
            assertEquals(3, value(ASSOCIATIONS, "aet", "PACS", "pool", "retrieve", "state", "open"));
            assertEquals(1, value(ASSOCIATIONS, "aet", "PACS", "pool", "retrieve", "state", "busy"));
            assertEquals(1, value("dicomweb.gateway.dimse.pool.waiting", "aet", "PACS", "pool", "retrieve"));
            assertEquals(0, value(ASSOCIATIONS, "aet", "PACS", "pool", "fuzzy-query", "state", "open"));
            assertEquals(0, value(ASSOCIATIONS, "aet", "OTHER", "pool", "store", "state", "open"));
            // 2 AEs x 4 kinds x (3 states + waiting)
            assertEquals(32, registry.getMeters().size());
        }
        assertTrue(registry.getMeters().isEmpty(), "closing removes every gauge");
    }

    @Test
    void refreshFollowsTheConfiguredAes() {
        try (PoolGauges gauges = new PoolGauges(registry, aet -> pools.getOrDefault(aet, List.of()))) {
            gauges.refresh(List.of("PACS", "OTHER"));
            gauges.refresh(List.of("PACS", "ADDED"));
            assertTrue(registry.find(ASSOCIATIONS).tag("aet", "OTHER").gauges().isEmpty(), "a removed AE's gone");
            assertEquals(12, registry.find(ASSOCIATIONS).tag("aet", "ADDED").gauges().size());
            assertEquals(3, value(ASSOCIATIONS, "aet", "PACS", "pool", "query", "state", "open"), "kept");
            assertEquals(32, registry.getMeters().size());
        }
    }
}
