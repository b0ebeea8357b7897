package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The instance cache's keys as GatewaySettingsReader reads them (docs/configuration.md). */
class CacheSettingsReaderTest {

    private static CacheSettings read(Map<String, String> keys) {
        return new GatewaySettingsReader(key -> Optional.ofNullable(keys.get(key))).readCache();
    }

    @Test
    void freshnessIsValidateUnlessConfigured() {
        assertEquals(CacheSettings.Freshness.VALIDATE, read(Map.of()).freshness());
        assertEquals(CacheSettings.Freshness.TRUST, read(Map.of("gateway.cache.freshness", "trust")).freshness());
        assertEquals(CacheSettings.Freshness.ALWAYS, read(Map.of("gateway.cache.freshness", " always ")).freshness());
    }

    @Test
    void anUnknownFreshnessNamesTheKeyAndTheAllowedValues() {
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> read(Map.of("gateway.cache.freshness", "sometimes")));
        assertEquals("configuration key 'gateway.cache.freshness' is 'sometimes', not one of [always, validate, trust]",
                refused.getMessage());
    }
}
