package org.dicomweb.gateway.backend.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

class S3SettingsReaderTest {

    private static S3Settings read(Map<String, String> keys) {
        return new S3SettingsReader(new ConfigValues(key -> Optional.ofNullable(keys.get(key)))).read("S3");
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> keys = new HashMap<>(Map.of("gateway.aet.S3.bucket", "dicomweb"));
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put("gateway.aet.S3." + keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }

    private static String failure(Map<String, String> keys) {
        return assertThrows(ConfigurationException.class, () -> read(keys)).getMessage();
    }

    @Test
    void awsDefaultsWithoutAnEndpoint() {
        S3Settings settings = read(with());
        assertNull(settings.endpoint());
        assertFalse(settings.pathStyle(), "virtual-host addressing on AWS");
        assertEquals(S3Settings.Credentials.DEFAULT, settings.credentials());
        assertEquals("us-east-1", settings.region());
        assertEquals(64, settings.maxConcurrentRequests());
        assertEquals(8, settings.requestParallelism());
        assertEquals(S3Settings.OnDuplicate.OVERWRITE, settings.onDuplicate());
        assertEquals("2.25.1/2.25.2/2.25.3.dcm", settings.instanceKey("2.25.1", "2.25.2", "2.25.3"));
    }

    @Test
    void anEndpointMeansPathStyleAndThePrefixLosesItsSlashes() {
        S3Settings settings = read(with("endpoint", "http://127.0.0.1:18091/", "prefix", "/archive/a/"));
        assertEquals("http://127.0.0.1:18091", settings.endpoint().toString());
        assertTrue(settings.pathStyle());
        assertEquals("archive/a/2.25.1/2.25.2/2.25.3.dcm", settings.instanceKey("2.25.1", "2.25.2", "2.25.3"));
    }

    @Test
    void configCredentialsAreRequiredAndNeverShown() {
        assertTrue(failure(with("credentials", "config")).contains("gateway.aet.S3.access-key-id"));
        S3Settings settings = read(with("credentials", "config", "access-key-id", "AKIDEXAMPLE",
                "secret-access-key", "wJalrXUtnFEMI"));
        assertFalse(settings.toString().contains("wJalrXUtnFEMI"));
        assertFalse(settings.toString().contains("AKIDEXAMPLE"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(failure(Map.of()).contains("gateway.aet.S3.bucket"));
        assertTrue(failure(with("bucket", "No_Such")).contains("gateway.aet.S3.bucket"));
        assertTrue(failure(with("endpoint", "ftp://host")).contains("gateway.aet.S3.endpoint"));
        assertTrue(failure(with("endpoint", "http://host/path")).contains("gateway.aet.S3.endpoint"));
        assertTrue(failure(with("part-size-mb", "4")).contains("gateway.aet.S3.part-size-mb"));
        assertTrue(failure(with("on-duplicate", "ignore")).contains("gateway.aet.S3.on-duplicate"));
        assertTrue(failure(with("max-concurrent-requests", "4", "request-parallelism", "8"))
                .contains("gateway.aet.S3.request-parallelism"));
    }
}
