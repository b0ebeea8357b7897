package org.dicomweb.gateway.core.config;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One state of the gateway's configuration, never changed once read: the validated backend-neutral settings, the key
 * reader every backend reads its own keys with, and each configured AE's own keys ({@code gateway.aet.<AET>.*}), by
 * which a reload tells a changed AE from an unchanged one.
 */
public final class ConfigSnapshot {

    private final ConfigValues values;
    private final GatewaySettings settings;
    private final Map<String, Map<String, String>> aeKeys;

    private ConfigSnapshot(ConfigValues values, GatewaySettings settings, Map<String, Map<String, String>> aeKeys) {
        this.values = values;
        this.settings = settings;
        this.aeKeys = aeKeys;
    }

    /**
     * Reads and validates the backend-neutral settings over {@code lookup} (a {@link ConfigurationException} names the
     * bad key); {@code names}: every key name the configuration's sources know, of which the AEs' own are kept.
     */
    public static ConfigSnapshot read(Function<String, Optional<String>> lookup, Iterable<String> names) {
        ConfigValues values = new ConfigValues(lookup);
        GatewaySettings settings = new GatewaySettingsReader(lookup).read();
        Map<String, Map<String, String>> aeKeys = new TreeMap<>();
        for (String aet : settings.aeBackends().keySet()) {
            aeKeys.put(aet, new TreeMap<>());
        }
        for (String name : names) {
            for (Map.Entry<String, Map<String, String>> ae : aeKeys.entrySet()) {
                // An AE title may hold a dot, so "A" also claims "A.B"'s keys: at worst A counts as changed needlessly.
                if (name.startsWith("gateway.aet." + ae.getKey() + ".")) {
                    values.optional(name).ifPresent(value -> ae.getValue().put(name, value));
                }
            }
        }
        aeKeys.replaceAll((aet, keys) -> Collections.unmodifiableMap(keys));
        return new ConfigSnapshot(values, settings, Collections.unmodifiableMap(aeKeys));
    }

    public GatewaySettings settings() {
        return settings;
    }

    public ConfigValues values() {
        return values;
    }

    /** The AE's own keys and their values (empty for an AE not configured). */
    public Map<String, String> aeKeys(String aet) {
        return aeKeys.getOrDefault(aet, Map.of());
    }
}
