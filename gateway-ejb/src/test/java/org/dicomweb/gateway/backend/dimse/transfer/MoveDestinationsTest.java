package org.dicomweb.gateway.backend.dimse.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.DimseSettings;
import org.dicomweb.gateway.backend.dimse.config.DimseSettingsReader;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.config.GatewaySettingsReader;

/**
 * {@code gateway.aet.<AET>.move-destinations}: which AEs a PACS may C-MOVE to directly ({@link DirectMove#reaches}),
 * and the deployment-time checks of the key.
 */
class MoveDestinationsTest {

    private final Map<String, String> keys = new HashMap<>(Map.of(
            "gateway.aets", "ORTHANC,DCMQRSCP,ARCHIVE,WEB",
            "gateway.aet.ORTHANC.host", "127.0.0.1",
            "gateway.aet.ORTHANC.port", "14242",
            "gateway.aet.DCMQRSCP.host", "127.0.0.1",
            "gateway.aet.DCMQRSCP.port", "11113",
            "gateway.aet.ARCHIVE.host", "archive.example",
            "gateway.aet.ARCHIVE.port", "104",
            "gateway.aet.WEB.backend", "dicomweb"));

    private DimseSettings read() {
        ConfigValues values = new ConfigValues(key -> Optional.ofNullable(keys.get(key)));
        return new DimseSettingsReader(values).read(
                new GatewaySettingsReader(key -> Optional.ofNullable(keys.get(key))).read().aetsServedBy("dimse"));
    }

    private DirectMove directMove() {
        DimseSettings settings = read();
        return new DirectMove(() -> settings, aet -> {
            throw new AssertionError("reaches() opens no association");
        });
    }

    private String failure() {
        return assertThrows(ConfigurationException.class, this::read).getMessage();
    }

    @Test
    void reachesExactlyTheListedAes() {
        keys.put("gateway.aet.ORTHANC.move-destinations", " DCMQRSCP , ARCHIVE");
        keys.put("gateway.aet.DCMQRSCP.move-destinations", "ORTHANC");
        DirectMove move = directMove();
        assertTrue(move.reaches("ORTHANC", "DCMQRSCP"));
        assertTrue(move.reaches("ORTHANC", "ARCHIVE"));
        assertTrue(move.reaches("DCMQRSCP", "ORTHANC"));
        assertFalse(move.reaches("DCMQRSCP", "ARCHIVE"), "not listed");
        assertFalse(move.reaches("ARCHIVE", "ORTHANC"), "no move-destinations key: none");
        assertFalse(move.reaches("ORTHANC", "ORTHANC"), "not listed for itself");
        assertFalse(move.reaches("WEB", "ORTHANC"), "not a DIMSE AE");
        assertFalse(move.reaches("NOSUCH", "ORTHANC"), "not an AE at all");
    }

    @Test
    void aTransferToAnUnlistedAeIsTheCallersMistake() {
        keys.put("gateway.aet.ORTHANC.move-destinations", "DCMQRSCP");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> directMove().transfer("ORTHANC", new org.dicomweb.gateway.wado.WadoRequest("1.2.3", null, null,
                        "*"), "ARCHIVE", null));
        assertEquals("ORTHANC does not list ARCHIVE in gateway.aet.ORTHANC.move-destinations", e.getMessage());
    }

    @Test
    void anUnknownAeOrOneOfAnotherBackendIsRefusedNamingTheKey() {
        keys.put("gateway.aet.ORTHANC.move-destinations", "DCMQRSCP,STORESCP");
        assertEquals("configuration key 'gateway.aet.ORTHANC.move-destinations' lists 'STORESCP', which is not an AE"
                + " of gateway.aets served over DIMSE (backend dimse)", failure());
        keys.put("gateway.aet.ORTHANC.move-destinations", "WEB");
        assertEquals("configuration key 'gateway.aet.ORTHANC.move-destinations' lists 'WEB', which is not an AE"
                + " of gateway.aets served over DIMSE (backend dimse)", failure());
    }

    @Test
    void anEmptyEntryIsRefused() {
        keys.put("gateway.aet.DCMQRSCP.move-destinations", "ORTHANC,,ARCHIVE");
        assertEquals("configuration key 'gateway.aet.DCMQRSCP.move-destinations' has an empty entry"
                + " (comma-separated AE names)", failure());
    }
}
