package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** The keys only a server reload applies keep their deployment values in a reloaded configuration, and are named. */
class ReloadRequiredTest {

    private static Function<String, Optional<String>> of(Map<String, String> keys) {
        return key -> Optional.ofNullable(keys.get(key));
    }

    private final Function<String, Optional<String>> deployed = of(Map.of("gateway.scp.port", "11112",
            "gateway.cache.max-size-mb", "100", "gateway.aets", "A"));
    private final Function<String, Optional<String>> configured = of(Map.of("gateway.scp.port", "11113",
            "gateway.cache.max-size-mb", "100", "gateway.tasks.lease-ms", "5000", "gateway.aets", "A,B",
            "gateway.scp.accepted-calling-aets", "X"));

    @Test
    void theStorageScpCacheAndTaskKeysKeepTheirDeploymentValues() {
        Function<String, Optional<String>> pinned = ReloadRequired.pinned(deployed, configured);

        assertEquals(Optional.of("11112"), pinned.apply("gateway.scp.port"));
        assertEquals(Optional.empty(), pinned.apply("gateway.tasks.lease-ms"), "unset at deployment: the default");
        assertEquals(Optional.of("A,B"), pinned.apply("gateway.aets"), "the AE list is applied");
        assertEquals(Optional.of("X"), pinned.apply("gateway.scp.accepted-calling-aets"),
                "per-request policy under gateway.scp. is applied");
    }

    @Test
    void namesTheKeysWhoseConfiguredValueIsNotInForce() {
        List<String> names = List.of("gateway.cache.max-size-mb", "gateway.tasks.lease-ms", "gateway.aets");

        assertEquals(List.of("gateway.scp.port", "gateway.tasks.lease-ms"),
                ReloadRequired.differing(names, deployed, configured),
                "gateway.scp.port without being among the names: the fixed keys are always compared");
    }

    @Test
    void blankIsUnset() {
        assertEquals(List.of(), ReloadRequired.differing(List.of(), of(Map.of()), of(Map.of("gateway.scp.aet", " "))));
    }
}
