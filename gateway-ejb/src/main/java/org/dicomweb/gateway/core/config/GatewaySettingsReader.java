package org.dicomweb.gateway.core.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates the gateway's backend-neutral keys (documented in docs/configuration.md): the AE list, each AE's
 * backend, the shared limits, the instance cache.
 */
public final class GatewaySettingsReader {

    public static final String DEFAULT_BACKEND = "dimse";
    /** Backend names are plain words, so that a typo is reported rather than matched loosely. */
    private static final Pattern BACKEND_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final Function<String, Optional<String>> lookup;
    private final ConfigValues values;

    public GatewaySettingsReader(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
        this.values = new ConfigValues(lookup);
    }

    public GatewaySettings read() {
        Map<String, String> aes = new LinkedHashMap<>();
        for (String aet : aeList()) {
            if (aes.containsKey(aet)) {
                throw new ConfigurationException("gateway.aets", "lists AE title '" + aet + "' twice");
            }
            String key = "gateway.aet." + aet + ".backend";
            String backend = values.string(key, DEFAULT_BACKEND);
            if (!BACKEND_NAME.matcher(backend).matches()) {
                throw new ConfigurationException(key, "is '" + backend + "', not a backend name (e.g. dimse, dicomweb)");
            }
            aes.put(aet, backend);
        }
        return new GatewaySettings(Collections.unmodifiableMap(aes),
                values.integer("gateway.qido.max-results", 10_000, 1, Integer.MAX_VALUE),
                values.integer("gateway.stow.parallel-stores", 4, 1, 64),
                values.integer("gateway.stow.max-request-mb", 4096, 1, Integer.MAX_VALUE),
                values.integer("gateway.stow.memory-spool-mb", 64, 0, 1 << 20),
                values.integer("gateway.stow.memory-part-kb", 2048, 1, 1 << 20),
                values.integer("gateway.wado.bulkdata-threshold-bytes", 1024, 0, Integer.MAX_VALUE),
                values.integer("gateway.http.max-query-length", 32_768, 256, Integer.MAX_VALUE),
                values.integer("gateway.stalled-client-timeout-ms", 60_000, 1, Integer.MAX_VALUE));
    }

    /** The instance cache's keys; its directory defaults to dicomweb-cache in WildFly's data directory. */
    public CacheSettings readCache() {
        String dataDirectory = lookup.apply("jboss.server.data.dir").orElse(System.getProperty("java.io.tmpdir"));
        return new CacheSettings(
                Path.of(values.string("gateway.cache.directory", Path.of(dataDirectory, "dicomweb-cache").toString())),
                values.integer("gateway.cache.max-size-mb", 10_240, 1, Integer.MAX_VALUE) * 1024L * 1024L,
                values.integer("gateway.cache.max-age-ms", 3_600_000, 1, Integer.MAX_VALUE),
                values.choice("gateway.cache.freshness", CacheSettings.Freshness.VALIDATE),
                values.integer("gateway.cache.arrival-timeout-ms", 120_000, 1, Integer.MAX_VALUE));
    }

    private String[] aeList() {
        String list = values.string("gateway.aets", "");
        if (list.isEmpty()) {
            return new String[0];
        }
        String[] aets = Arrays.stream(list.split(",")).map(String::trim).toArray(String[]::new);
        for (String aet : aets) {
            if (!ConfigValues.isAeTitle(aet)) {
                throw new ConfigurationException("gateway.aets", "has '" + aet + "', which is not a DICOM AE title");
            }
        }
        return aets;
    }
}
