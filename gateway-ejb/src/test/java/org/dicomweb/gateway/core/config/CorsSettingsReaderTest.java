package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.dicomweb.gateway.access.cors.CorsSettings;

/** The gateway.cors.* keys: defaults, origins as browsers send them, and each kind of bad origin named. */
class CorsSettingsReaderTest {

    private final Map<String, String> keys = new HashMap<>();

    private CorsSettings read() {
        return CorsSettingsReader.read(new ConfigValues(key -> Optional.ofNullable(keys.get(key))));
    }

    @Test
    void unsetIsOff() {
        CorsSettings settings = read();
        assertFalse(settings.enabled());
        assertFalse(settings.allows("http://127.0.0.1:8080"));
        assertFalse(settings.allowCredentials());
        assertEquals(600, settings.maxAgeSeconds());
    }

    @Test
    void originsAreKeptAsBrowsersSendThem() {
        keys.put("gateway.cors.allowed-origins", " https://Viewer.Example:443, http://127.0.0.1:18180 ,,"
                + "http://ohif.example:80,https://pacs.example:8443");
        keys.put("gateway.cors.allow-credentials", "true");
        keys.put("gateway.cors.max-age-seconds", "7200");
        CorsSettings settings = read();
        assertEquals(Set.of("https://viewer.example", "http://127.0.0.1:18180", "http://ohif.example",
                "https://pacs.example:8443"), settings.allowedOrigins());
        assertTrue(settings.allows("https://viewer.example"));
        assertFalse(settings.allows("https://viewer.example:8443"), "another port is another origin");
        assertFalse(settings.allows("http://viewer.example"), "another scheme is another origin");
        assertTrue(settings.allowCredentials());
        assertEquals(7200, settings.maxAgeSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "null", "viewer.example", "ftp://viewer.example", "https://viewer.example/",
        "https://viewer.example/ohif", "https://user@viewer.example", "https://viewer.example?x=1", "http://[::1"})
    void aBadOriginIsNamedWithTheKey(String origin) {
        keys.put("gateway.cors.allowed-origins", "http://127.0.0.1:18180," + origin);
        String message = assertThrows(ConfigurationException.class, this::read).getMessage();
        assertTrue(message.startsWith("configuration key 'gateway.cors.allowed-origins' has '" + origin + "', "),
                message);
    }

    @Test
    void badFlagsAreNamed() {
        keys.put("gateway.cors.allow-credentials", "yes");
        assertTrue(assertThrows(ConfigurationException.class, this::read).getMessage()
                .contains("'gateway.cors.allow-credentials' is 'yes'"));
        keys.remove("gateway.cors.allow-credentials");
        keys.put("gateway.cors.max-age-seconds", "-1");
        assertTrue(assertThrows(ConfigurationException.class, this::read).getMessage()
                .contains("'gateway.cors.max-age-seconds' is -1, outside 0..86400"));
    }
}
