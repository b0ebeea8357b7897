package org.dicomweb.gateway.backend.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

class UpstreamSettingsReaderTest {

    private static UpstreamSettings read(Map<String, String> keys) {
        return new UpstreamSettingsReader(new ConfigValues(key -> Optional.ofNullable(keys.get(key)))).read("UP");
    }

    private static String failure(Map<String, String> keys) {
        return assertThrows(ConfigurationException.class, () -> read(keys)).getMessage();
    }

    @Test
    void defaultsAndTheUrlWithoutItsTrailingSlash() {
        UpstreamSettings settings = read(Map.of("gateway.aet.UP.url", "http://127.0.0.1:18042/dicom-web/"));
        assertEquals("http://127.0.0.1:18042/dicom-web", settings.root());
        assertEquals(UpstreamSettings.Auth.NONE, settings.auth());
        assertEquals(Optional.empty(), settings.authorization());
        assertEquals(5000, settings.connectTimeoutMs());
        assertEquals(30000, settings.readTimeoutMs());
        assertEquals(16, settings.maxConcurrentRequests());
    }

    @Test
    void credentialsMakeTheAuthorizationHeaderAndStayOutOfToString() {
        UpstreamSettings basic = read(Map.of("gateway.aet.UP.url", "https://pacs/dicomweb", "gateway.aet.UP.auth", "basic",
                "gateway.aet.UP.username", "alice", "gateway.aet.UP.password", "s3cret"));
        assertEquals(Optional.of("Basic YWxpY2U6czNjcmV0"), basic.authorization());
        assertFalse(basic.toString().contains("s3cret"));
        UpstreamSettings bearer = read(Map.of("gateway.aet.UP.url", "https://pacs/dicomweb", "gateway.aet.UP.auth",
                "bearer", "gateway.aet.UP.token", "t0k"));
        assertEquals(Optional.of("Bearer t0k"), bearer.authorization());
        assertFalse(bearer.toString().contains("t0k"));
    }

    @Test
    void everyBadKeyIsNamed() {
        assertEquals("configuration key 'gateway.aet.UP.url' is missing (AE UP is served by backend dicomweb)",
                failure(Map.of()));
        assertEquals("configuration key 'gateway.aet.UP.url' is 'ftp://pacs/x', not an http or https URL of a DICOMweb"
                + " root (without query or fragment)", failure(Map.of("gateway.aet.UP.url", "ftp://pacs/x")));
        assertEquals("configuration key 'gateway.aet.UP.auth' is 'digest', not one of [none, basic, bearer]",
                failure(Map.of("gateway.aet.UP.url", "http://pacs", "gateway.aet.UP.auth", "digest")));
        assertEquals("configuration key 'gateway.aet.UP.password' is missing (gateway.aet.UP.auth is basic)",
                failure(Map.of("gateway.aet.UP.url", "http://pacs", "gateway.aet.UP.auth", "basic",
                        "gateway.aet.UP.username", "alice")));
        assertEquals("configuration key 'gateway.aet.UP.read-timeout-ms' is 0, outside 1..2147483647",
                failure(Map.of("gateway.aet.UP.url", "http://pacs", "gateway.aet.UP.read-timeout-ms", "0")));
    }
}
