package org.dicomweb.gateway.core.config;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.RetrieveStrategy;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates the gateway's keys (documented in docs/configuration.md). It takes a plain key lookup so that
 * MicroProfile Config in WildFly and a map in unit tests go through the same checks.
 */
public final class GatewaySettingsReader {

    public static final String PREFIX = "gateway.";
    /** DICOM AE titles: 1-16 characters of the default repertoire, no backslash, not all spaces (PS3.5 §6.2). */
    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

    private final Function<String, Optional<String>> lookup;

    public GatewaySettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public GatewaySettings read() {
        ScpSettings scp = new ScpSettings(
                aeTitle("gateway.scp.aet", "DICOMWEB"),
                string("gateway.scp.bind-address", "0.0.0.0"),
                integer("gateway.scp.port", 11112, 1, 65535),
                integer("gateway.scp.max-pdu-length", 65536, 4096, 1 << 24),
                integer("gateway.scp.dimse-timeout-ms", 60_000, 1, Integer.MAX_VALUE),
                bool("gateway.scp.uncompressed-only", false));
        Map<String, RemoteAe> aes = new LinkedHashMap<>();
        for (String aet : aeList()) {
            if (aes.containsKey(aet)) {
                throw new ConfigurationException("gateway.aets", "lists AE title '" + aet + "' twice");
            }
            aes.put(aet, remoteAe(aet, scp.aet()));
        }
        return new GatewaySettings(scp, Collections.unmodifiableMap(aes),
                integer("gateway.qido.max-results", 10_000, 1, Integer.MAX_VALUE),
                integer("gateway.stow.parallel-stores", 4, 1, 64),
                integer("gateway.stow.max-request-mb", 4096, 1, Integer.MAX_VALUE),
                integer("gateway.stow.memory-spool-mb", 64, 0, 1 << 20),
                integer("gateway.stow.memory-part-kb", 2048, 1, 1 << 20),
                integer("gateway.wado.bulkdata-threshold-bytes", 1024, 0, Integer.MAX_VALUE),
                integer("gateway.http.max-query-length", 32_768, 256, Integer.MAX_VALUE),
                integer("gateway.stalled-client-timeout-ms", 60_000, 1, Integer.MAX_VALUE));
    }

    /** The instance cache's keys; its directory defaults to dicomweb-cache in WildFly's data directory. */
    public CacheSettings readCache() {
        String dataDirectory = lookup.apply("jboss.server.data.dir").orElse(System.getProperty("java.io.tmpdir"));
        return new CacheSettings(
                Path.of(string("gateway.cache.directory", Path.of(dataDirectory, "dicomweb-cache").toString())),
                integer("gateway.cache.max-size-mb", 10_240, 1, Integer.MAX_VALUE) * 1024L * 1024L,
                integer("gateway.cache.max-age-ms", 3_600_000, 1, Integer.MAX_VALUE));
    }

    private String[] aeList() {
        String list = lookup.apply("gateway.aets").orElse("").trim();
        if (list.isEmpty()) {
            return new String[0];
        }
        String[] aets = Arrays.stream(list.split(",")).map(String::trim).toArray(String[]::new);
        for (String aet : aets) {
            if (!AE_TITLE.matcher(aet).matches() || aet.isBlank()) {
                throw new ConfigurationException("gateway.aets", "has '" + aet + "', which is not a DICOM AE title");
            }
        }
        return aets;
    }

    private RemoteAe remoteAe(String aet, String defaultCallingAet) {
        String k = PREFIX + "aet." + aet + ".";
        String host = lookup.apply(k + "host").map(String::trim).filter(h -> !h.isEmpty())
                .orElseThrow(() -> new ConfigurationException(k + "host", "is missing (AE " + aet + " is listed in gateway.aets)"));
        return new RemoteAe(aet, host,
                integer(k + "port", null, 1, 65535),
                aeTitle(k + "calling-aet", defaultCallingAet),
                integer(k + "pool-size", 4, 1, 1024),
                integer(k + "pool-wait-timeout-ms", 10_000, 0, Integer.MAX_VALUE),
                integer(k + "connect-timeout-ms", 5_000, 1, Integer.MAX_VALUE),
                integer(k + "dimse-timeout-ms", 30_000, 1, Integer.MAX_VALUE),
                integer(k + "idle-timeout-ms", 15_000, 1, Integer.MAX_VALUE),
                integer(k + "max-pdu-length", 65536, 4096, 1 << 24),
                choice(k + "relational-queries", RelationalQueries.AUTO),
                aeTitle(k + "called-aet", aet),
                choice(k + "retrieve", RetrieveStrategy.AUTO),
                choice(k + "move-routing", MoveRouting.ORIGINATOR),
                integer(k + "max-concurrent-retrieves", 4, 1, 1024),
                integer(k + "max-concurrent-stores", 4, 1, 1024));
    }

    /** An enum value, written in lower case with dashes in configuration (e.g. instance-uids). */
    private <E extends Enum<E>> E choice(String key, E defaultValue) {
        String value = string(key, defaultValue.name().toLowerCase().replace('_', '-'));
        for (E constant : defaultValue.getDeclaringClass().getEnumConstants()) {
            if (constant.name().toLowerCase().replace('_', '-').equals(value)) {
                return constant;
            }
        }
        throw new ConfigurationException(key, "is '" + value + "', not one of " + java.util.Arrays.stream(
                defaultValue.getDeclaringClass().getEnumConstants())
                .map(c -> c.name().toLowerCase().replace('_', '-')).toList());
    }

    private boolean bool(String key, boolean defaultValue) {
        String value = string(key, Boolean.toString(defaultValue));
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigurationException(key, "is '" + value + "', not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private String string(String key, String defaultValue) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(defaultValue);
    }

    private String aeTitle(String key, String defaultValue) {
        String value = string(key, defaultValue);
        if (!AE_TITLE.matcher(value).matches() || value.isBlank()) {
            throw new ConfigurationException(key, "is '" + value + "', which is not a DICOM AE title (1-16 characters, no backslash)");
        }
        return value;
    }

    private int integer(String key, Integer defaultValue, int min, int max) {
        Optional<String> raw = lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
        if (raw.isEmpty()) {
            if (defaultValue == null) {
                throw new ConfigurationException(key, "is missing");
            }
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new ConfigurationException(key, "is " + value + ", outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key, "is '" + raw.get() + "', not a whole number");
        }
    }
}
