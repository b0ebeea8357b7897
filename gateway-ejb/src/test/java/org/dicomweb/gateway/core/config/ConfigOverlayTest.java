package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dicomweb.gateway.core.config.ConfigOverlay.ModelSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/** The sources a reload reads: the deployment's, the gateway's config source replaced by its management model. */
class ConfigOverlayTest {

    private final ModelSource systemProperties =
            new ModelSource("SysPropConfigSource", 400, Map.of("gateway.aet.A.port", "9"));
    private final ModelSource files =
            new ModelSource("microprofile-config.properties", 100, Map.of("gateway.aets", "Z"));
    private final Map<String, String> model = Map.of("gateway.aets", "A,B", "gateway.aet.A.host", "${host:a}");

    @Test
    void theConfigSourcesDeploymentPropertiesGiveWayToItsModel() {
        List<ConfigSource> sources = ConfigOverlay.sources(List.of(systemProperties,
                new ModelSource("PropertiesConfigSource[source=dicomweb-gateway]", 300, Map.of("gateway.aets", "A")),
                files),
                LiveConfigSource::isIt, "dicomweb-gateway", 300, model);

        assertEquals(List.of(systemProperties, files), sources.subList(0, 2), "the others as they are");
        ConfigSource live = sources.get(2);
        assertEquals(3, sources.size());
        assertEquals("dicomweb-gateway", live.getName());
        assertEquals(300, live.getOrdinal());
        assertEquals(Set.of("gateway.aets", "gateway.aet.A.host"), live.getPropertyNames());
        assertEquals("${host:a}", live.getValue("gateway.aet.A.host"), "expanded by the Config that reads it");
    }

    @Test
    void aConfigSourceCreatedAfterTheDeploymentJoinsTheOthers() {
        List<ConfigSource> sources = ConfigOverlay.sources(List.of(systemProperties, files), LiveConfigSource::isIt,
                "dicomweb-gateway", 250, model);

        assertEquals(3, sources.size());
        assertEquals(250, sources.get(2).getOrdinal());
        assertEquals("A,B", sources.get(2).getValue("gateway.aets"));
    }
}
