package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The gateway's config source answered by its management model, in its place among the deployment's sources. */
class ConfigOverlayTest {

    private record Source(String name, int ordinal, Map<String, String> values) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String key) {
            return values.get(key);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getOrdinal() {
            return ordinal;
        }
    }

    private final List<ConfigSource> sources = List.of(
            new Source("SysPropConfigSource", 400, Map.of("gateway.aet.A.port", "9999")),
            new Source("PropertiesConfigSource[source=dicomweb-gateway]", 300, Map.of("gateway.aets", "A", "gateway.aet.A.host", "old",
                    "gateway.aet.A.pool-size", "8")),
            new Source("microprofile-config.properties", 100, Map.of("gateway.aet.A.pool-size", "2",
                    "gateway.aet.A.calling-aet", "${x}")));

    private final ConfigOverlay overlay = new ConfigOverlay(sources, LiveConfigSource::isIt, 300,
            Map.of("gateway.aets", "A,B", "gateway.aet.A.host", "new", "gateway.aet.A.port", "104"),
            (source, key) -> source.equals("microprofile-config.properties") && key.equals("gateway.aet.A.calling-aet")
                    ? Optional.of("EXPANDED") : Optional.empty());

    @Test
    void theModelReplacesTheConfigSourcesDeploymentProperties() {
        assertEquals(Optional.of("A,B"), overlay.apply("gateway.aets"));
        assertEquals(Optional.of("new"), overlay.apply("gateway.aet.A.host"));
    }

    @Test
    void aSystemPropertyStillWins() {
        assertEquals(Optional.of("9999"), overlay.apply("gateway.aet.A.port"));
    }

    @Test
    void aKeyRemovedFromTheModelFallsToTheSourcesBelow() {
        assertEquals(Optional.of("2"), overlay.apply("gateway.aet.A.pool-size"));
        assertEquals(Optional.empty(), overlay.apply("gateway.aet.B.host"));
    }

    @Test
    void aConfigSourceCreatedAfterTheDeploymentTakesThePlaceOfItsOrdinal() {
        ConfigOverlay created = new ConfigOverlay(List.of(sources.get(0), sources.get(2)), LiveConfigSource::isIt, 300,
                Map.of("gateway.aet.A.port", "104", "gateway.aet.A.pool-size", "6"), (source, key) -> Optional.empty());

        assertEquals(Optional.of("9999"), created.apply("gateway.aet.A.port"), "below the system properties");
        assertEquals(Optional.of("6"), created.apply("gateway.aet.A.pool-size"), "above the deployment's files");
    }

    @Test
    void aValueOfAnotherSourceIsTheDeploymentsExpandedOneWhenItComesFromThere() {
        assertEquals(Optional.of("EXPANDED"), overlay.apply("gateway.aet.A.calling-aet"));
    }
}
