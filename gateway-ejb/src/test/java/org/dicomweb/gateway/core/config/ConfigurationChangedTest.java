package org.dicomweb.gateway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** How a reload sorts the AEs of the old and the new configuration: added, changed, removed, unchanged. */
class ConfigurationChangedTest {

    private static ConfigSnapshot snapshot(Map<String, String> keys) {
        return ConfigSnapshot.read(key -> Optional.ofNullable(keys.get(key)), keys.keySet());
    }

    private static Map<String, String> base() {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.aets", "A,B,C,D");
        keys.put("gateway.aet.A.host", "a");
        keys.put("gateway.aet.B.host", "b");
        keys.put("gateway.aet.C.url", "http://c");
        keys.put("gateway.aet.C.backend", "dicomweb");
        keys.put("gateway.aet.D.host", "d");
        return keys;
    }

    @Test
    void sortsEachAeByWhatBecameOfIt() {
        Map<String, String> next = base();
        next.put("gateway.aets", "E,A,B,C");
        next.remove("gateway.aet.D.host");
        next.put("gateway.aet.E.host", "e");
        next.put("gateway.aet.B.port", "104"); // a key added
        next.put("gateway.aet.C.backend", "s3"); // another backend
        next.put("gateway.qido.max-results", "5"); // not an AE's key

        ConfigurationChanged change = ConfigurationChanged.between(snapshot(base()), snapshot(next));

        assertEquals(List.of("E"), change.added());
        assertEquals(List.of("B", "C"), change.changed());
        assertEquals(List.of("D"), change.removed());
        assertEquals(List.of("A"), change.unchanged());
        assertTrue(change.keeps("A"));
        assertFalse(change.keeps("B"));
    }

    @Test
    void aKeyRemovedOrAValueChangedChangesTheAe() {
        Map<String, String> before = base();
        before.put("gateway.aet.A.pool-size", "4");
        Map<String, String> after = base();
        after.put("gateway.aet.B.host", "b2");

        ConfigurationChanged change = ConfigurationChanged.between(snapshot(before), snapshot(after));

        assertEquals(List.of("A", "B"), change.changed());
        assertEquals(List.of("C", "D"), change.unchanged());
    }

    @Test
    void anAeWhoseTitleHasADotAlsoSeesTheKeysOfLongerTitles() {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.aets", "X,X.Y");
        keys.put("gateway.aet.X.host", "x");
        keys.put("gateway.aet.X.Y.host", "xy");
        ConfigSnapshot snapshot = snapshot(keys);

        assertEquals(Map.of("gateway.aet.X.Y.host", "xy"), snapshot.aeKeys("X.Y"));
        assertEquals(Map.of("gateway.aet.X.host", "x", "gateway.aet.X.Y.host", "xy"), snapshot.aeKeys("X"),
                "at worst X counts as changed when X.Y changes");
    }
}
