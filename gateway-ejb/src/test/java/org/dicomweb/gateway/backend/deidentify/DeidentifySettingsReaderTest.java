package org.dicomweb.gateway.backend.deidentify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigurationException;

class DeidentifySettingsReaderTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static Map<String, String> config() {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.aets", "PACS,DEID");
        keys.put("gateway.aet.PACS.host", "127.0.0.1");
        keys.put("gateway.aet.PACS.port", "104");
        keys.put("gateway.aet.DEID.backend", "deidentify");
        keys.put("gateway.aet.DEID.source", "PACS");
        keys.put("gateway.deidentify.secret", SECRET);
        return keys;
    }

    private static Map<String, DeidentifySettings> read(Map<String, String> keys) {
        return DeidentifySettingsReader.read(ConfigSnapshot.read(key -> Optional.ofNullable(keys.get(key)),
                keys.keySet()));
    }

    private static String refusedKey(Map<String, String> keys) {
        return assertThrows(ConfigurationException.class, () -> read(keys)).getMessage();
    }

    @Test
    void readsTheSourceAndTheOptionsWithTheirDefaults() {
        DeidentifySettings settings = read(config()).get("DEID");
        assertEquals("PACS", settings.source());
        assertFalse(settings.options().retainUids());
        assertFalse(settings.options().passBurnedInAnnotation());
        assertEquals(Set.of(), settings.options().safePrivateTags());
        assertEquals(read(config()).get("DEID"), settings, "the same keys read twice are equal settings");
    }

    @Test
    void readsEveryOption() {
        Map<String, String> keys = config();
        for (String option : new String[] {"retain-uids", "retain-longitudinal-modified-dates",
                "retain-patient-characteristics", "retain-device-identity", "clean-descriptors",
                "pass-burned-in-annotation"}) {
            keys.put("gateway.aet.DEID." + option, "true");
        }
        keys.put("gateway.aet.DEID.safe-private-tags", "0019,GEMS_ACQU_01,0b; 0043,GEMS_PARM_01,27");
        DeidentifySettings settings = read(keys).get("DEID");
        assertTrue(settings.options().retainUids() && settings.options().retainLongitudinalModifiedDates()
                && settings.options().retainPatientCharacteristics() && settings.options().retainDeviceIdentity()
                && settings.options().cleanDescriptors() && settings.options().passBurnedInAnnotation());
        assertEquals(Set.of("0019,GEMS_ACQU_01,0b", "0043,GEMS_PARM_01,27"), settings.options().safePrivateTags());
    }

    @Test
    void refusesAMissingOrShortSecretNamingTheKey() {
        Map<String, String> keys = config();
        keys.remove("gateway.deidentify.secret");
        assertTrue(refusedKey(keys).contains("gateway.deidentify.secret"), refusedKey(keys));
        keys.put("gateway.deidentify.secret", "short");
        assertTrue(refusedKey(keys).contains("gateway.deidentify.secret"));
        assertTrue(refusedKey(keys).contains("32"));
    }

    @Test
    void needsNoSecretWithoutADeidentifyingAe() {
        Map<String, String> keys = config();
        keys.put("gateway.aets", "PACS");
        keys.remove("gateway.deidentify.secret");
        assertEquals(Map.of(), read(keys));
    }

    @Test
    void refusesASourceThatIsMissingItselfUnknownOrDeidentifying() {
        Map<String, String> keys = config();
        keys.remove("gateway.aet.DEID.source");
        assertTrue(refusedKey(keys).contains("gateway.aet.DEID.source"));
        keys.put("gateway.aet.DEID.source", "DEID");
        assertTrue(refusedKey(keys).contains("itself"));
        keys.put("gateway.aet.DEID.source", "ELSEWHERE");
        assertTrue(refusedKey(keys).contains("not an AE of gateway.aets"));
        keys.put("gateway.aets", "PACS,DEID,DEID2");
        keys.put("gateway.aet.DEID2.backend", "deidentify");
        keys.put("gateway.aet.DEID2.source", "PACS");
        keys.put("gateway.aet.DEID.source", "DEID2");
        assertTrue(refusedKey(keys).contains("a de-identifying AE itself"));
    }

    @Test
    void refusesABadOptionNamingTheKey() {
        Map<String, String> keys = config();
        keys.put("gateway.aet.DEID.retain-uids", "yes");
        assertTrue(refusedKey(keys).contains("gateway.aet.DEID.retain-uids"));
        keys.remove("gateway.aet.DEID.retain-uids");
        keys.put("gateway.aet.DEID.safe-private-tags", "0018,ACME,01");
        assertTrue(refusedKey(keys).contains("gateway.aet.DEID.safe-private-tags"), "0018 is no private group");
    }

    @Test
    void neverShowsTheSecret() {
        DeidentifySettings settings = read(config()).get("DEID");
        assertFalse(settings.toString().contains(SECRET));
        assertFalse(DeidentifySettingsReader.shown(settings).toString().contains(SECRET));
        assertEquals("PACS", DeidentifySettingsReader.shown(settings).get("source"));
    }
}
