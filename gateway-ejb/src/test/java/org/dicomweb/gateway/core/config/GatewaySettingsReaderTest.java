package org.dicomweb.gateway.core.config;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class GatewaySettingsReaderTest {

    private final Map<String, String> keys = new HashMap<>(Map.of(
            "gateway.aets", "ORTHANC, DCMQRSCP",
            "gateway.aet.ORTHANC.host", "127.0.0.1",
            "gateway.aet.ORTHANC.port", "14242",
            "gateway.aet.DCMQRSCP.host", "pacs.example",
            "gateway.aet.DCMQRSCP.port", "11113",
            "gateway.aet.DCMQRSCP.calling-aet", "GW2",
            "gateway.aet.DCMQRSCP.pool-size", "2"));

    private GatewaySettings read() {
        return new GatewaySettingsReader(key -> Optional.ofNullable(keys.get(key))).read();
    }

    private String failure() {
        return assertThrows(ConfigurationException.class, this::read).getMessage();
    }

    @Test
    void readsAesInListedOrderWithDefaults() {
        GatewaySettings settings = read();
        assertEquals("[ORTHANC, DCMQRSCP]", settings.remoteAes().keySet().toString());
        RemoteAe orthanc = settings.remoteAe("ORTHANC").orElseThrow();
        assertEquals(new RemoteAe("ORTHANC", "127.0.0.1", 14242, "DICOMWEB", 4, 10_000, 5_000, 30_000, 15_000, 65536, RelationalQueries.AUTO, "ORTHANC",
                RetrieveStrategy.AUTO, MoveRouting.ORIGINATOR, 4, 4),
                orthanc);
        RemoteAe dcmqrscp = settings.remoteAe("DCMQRSCP").orElseThrow();
        assertEquals("GW2", dcmqrscp.callingAet());
        assertEquals(2, dcmqrscp.poolSize());
        assertEquals(10_000, settings.qidoMaxResults());
        assertEquals(4, settings.stowParallelStores());
        assertEquals(4096, settings.stowMaxRequestMb());
        assertEquals(32_768, settings.httpMaxQueryLength());
        assertEquals(60_000, settings.stalledClientTimeoutMs());
        assertEquals(new ScpSettings("DICOMWEB", "0.0.0.0", 11112, 65536, 60_000, false), settings.scp());
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
}
