package org.dicomweb.gateway.backend.dimse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.config.GatewaySettingsReader;

/** The core's reader of the AE list and shared limits, and the DIMSE backend's reader of its AEs' keys. */
class SettingsReadersTest {

    private final Map<String, String> keys = new HashMap<>(Map.of(
            "gateway.aets", "ORTHANC, DCMQRSCP",
            "gateway.aet.ORTHANC.host", "127.0.0.1",
            "gateway.aet.ORTHANC.port", "14242",
            "gateway.aet.DCMQRSCP.host", "pacs.example",
            "gateway.aet.DCMQRSCP.port", "11113",
            "gateway.aet.DCMQRSCP.calling-aet", "GW2",
            "gateway.aet.DCMQRSCP.pool-size", "2"));

    private GatewaySettings gateway() {
        return new GatewaySettingsReader(key -> Optional.ofNullable(keys.get(key))).read();
    }

    private DimseSettings read() {
        return new DimseSettingsReader(new ConfigValues(key -> Optional.ofNullable(keys.get(key))))
                .read(gateway().aetsServedBy("dimse"));
    }

    private String failure() {
        return assertThrows(ConfigurationException.class, this::read).getMessage();
    }

    @Test
    void readsAesInListedOrderWithDefaults() {
        DimseSettings settings = read();
        GatewaySettings gateway = gateway();
        assertEquals("[ORTHANC, DCMQRSCP]", settings.remoteAes().keySet().toString());
        assertEquals("{ORTHANC=dimse, DCMQRSCP=dimse}", gateway.aeBackends().toString());
        RemoteAe orthanc = settings.remoteAe("ORTHANC").orElseThrow();
        assertEquals(new RemoteAe("ORTHANC", "127.0.0.1", 14242, "DICOMWEB", 4, 10_000, 5_000, 30_000, 15_000, 30_000, 65536, RelationalQueries.AUTO, "ORTHANC",
                RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4, null),
                orthanc);
        RemoteAe dcmqrscp = settings.remoteAe("DCMQRSCP").orElseThrow();
        assertEquals("GW2", dcmqrscp.callingAet());
        assertEquals(2, dcmqrscp.poolSize());
        assertEquals(10_000, gateway.qidoMaxResults());
        assertEquals(4, gateway.stowParallelStores());
        assertEquals(4096, gateway.stowMaxRequestMb());
        assertEquals(32_768, gateway.httpMaxQueryLength());
        assertEquals(60_000, gateway.stalledClientTimeoutMs());
        assertEquals(new ScpSettings("DICOMWEB", "0.0.0.0", 11112, 65536, 60_000, false, null, 0, null), settings.scp());
    }

    @Test
    void tlsKeysAreCheckedOnlyWhereTlsIsUsed() {
        keys.put("gateway.tls.truststore", "/nonexistent/truststore.p12");
        assertEquals(null, read().remoteAe("ORTHANC").orElseThrow().tls(), "no AE with tls=true: nothing is read");
        keys.put("gateway.aet.DCMQRSCP.tls", "yes");
        assertEquals("configuration key 'gateway.aet.DCMQRSCP.tls' is 'yes', not true or false", failure());
        keys.put("gateway.aet.DCMQRSCP.tls", "true");
        assertTrue(failure().startsWith("configuration key 'gateway.tls.truststore' is '/nonexistent/truststore.p12',"
                + " which cannot be read as a PKCS12 store"), failure());
        keys.remove("gateway.aet.DCMQRSCP.tls");
        keys.put("gateway.scp.tls-port", "11112");
        assertEquals("configuration key 'gateway.scp.tls-port' is 11112, the plain listener's gateway.scp.port too",
                failure());
        keys.put("gateway.scp.tls-port", "11114");
        assertEquals("configuration key 'gateway.tls.keystore' is missing (gateway.scp.tls-port is set)", failure());
    }

    @Test
    void noAesIsAValidConfiguration() {
        keys.clear();
        assertTrue(read().remoteAes().isEmpty());
    }

    @Test
    void missingHostNamesTheKey() {
        keys.remove("gateway.aet.ORTHANC.host");
        assertEquals("configuration key 'gateway.aet.ORTHANC.host' is missing (AE ORTHANC is listed in gateway.aets)",
                failure());
    }

    @Test
    void missingPortNamesTheKey() {
        keys.remove("gateway.aet.DCMQRSCP.port");
        assertEquals("configuration key 'gateway.aet.DCMQRSCP.port' is missing", failure());
    }

    @Test
    void invalidNumbersNameTheKeyAndTheValue() {
        keys.put("gateway.aet.ORTHANC.port", "42x");
        assertEquals("configuration key 'gateway.aet.ORTHANC.port' is '42x', not a whole number", failure());
        keys.put("gateway.aet.ORTHANC.port", "70000");
        assertEquals("configuration key 'gateway.aet.ORTHANC.port' is 70000, outside 1..65535", failure());
        keys.put("gateway.aet.ORTHANC.port", "104");
        keys.put("gateway.aet.ORTHANC.pool-size", "0");
        assertEquals("configuration key 'gateway.aet.ORTHANC.pool-size' is 0, outside 1..1024", failure());
    }

    @Test
    void echoAfterIdleIsPerAeAndZeroMeansBeforeEveryReuse() {
        keys.put("gateway.aet.DCMQRSCP.echo-after-idle-ms", "0");
        assertEquals(0, read().remoteAe("DCMQRSCP").orElseThrow().echoAfterIdleMs());
        assertEquals(30_000, read().remoteAe("ORTHANC").orElseThrow().echoAfterIdleMs());
        keys.put("gateway.aet.DCMQRSCP.echo-after-idle-ms", "-1");
        assertEquals("configuration key 'gateway.aet.DCMQRSCP.echo-after-idle-ms' is -1, outside 0..2147483647",
                failure());
    }

    @Test
    void relationalQueriesAreAutoTrueOrFalse() {
        for (RelationalQueries value : RelationalQueries.values()) {
            keys.put("gateway.aet.ORTHANC.relational-queries", value.name().toLowerCase());
            assertEquals(value, read().remoteAe("ORTHANC").orElseThrow().relationalQueries());
        }
        keys.put("gateway.aet.ORTHANC.relational-queries", "yes");
        assertEquals("configuration key 'gateway.aet.ORTHANC.relational-queries' is 'yes', not one of"
                + " [auto, true, false]", failure());
    }

    @Test
    void aeTitlesAreChecked() {
        keys.put("gateway.scp.aet", "THIS_AE_TITLE_IS_TOO_LONG");
        assertTrue(failure().startsWith("configuration key 'gateway.scp.aet' is 'THIS_AE_TITLE_IS_TOO_LONG'"));
        keys.remove("gateway.scp.aet");
        keys.put("gateway.aets", "ORTHANC,BAD\\AE");
        assertEquals("configuration key 'gateway.aets' has 'BAD\\AE', which is not a DICOM AE title", failure());
        keys.put("gateway.aets", "ORTHANC,ORTHANC");
        assertEquals("configuration key 'gateway.aets' lists AE title 'ORTHANC' twice", failure());
    }

    @Test
    void eachAeNamesItsBackend() {
        keys.put("gateway.aet.DCMQRSCP.backend", "dicomweb");
        assertEquals("{ORTHANC=dimse, DCMQRSCP=dicomweb}", gateway().aeBackends().toString());
        assertEquals("[ORTHANC]", read().remoteAes().keySet().toString(), "only dimse AEs read DIMSE keys");
        keys.put("gateway.aet.DCMQRSCP.backend", "DICOM Web");
        assertEquals("configuration key 'gateway.aet.DCMQRSCP.backend' is 'DICOM Web', not a backend name"
                + " (e.g. dimse, dicomweb)", failure());
    }
}
