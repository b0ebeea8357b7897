package org.dicomweb.gateway.backend.dimse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/** Reads and validates the DIMSE backend's keys (docs/configuration.md): {@code gateway.scp.*} and each AE's own. */
public final class DimseSettingsReader {

    private static final String TLS_PORT = "gateway.scp.tls-port";

    private final ConfigValues values;

    public DimseSettingsReader(ConfigValues values) {
        this.values = values;
    }

    /** {@code aets}: the configured AEs whose backend is dimse. */
    public DimseSettings read(List<String> aets) {
        int port = values.integer("gateway.scp.port", 11112, 1, 65535);
        int tlsPort = values.optional(TLS_PORT).isEmpty() ? 0 : values.integer(TLS_PORT, null, 1, 65535);
        if (tlsPort == port) {
            throw new ConfigurationException(TLS_PORT, "is " + tlsPort + ", the plain listener's gateway.scp.port too");
        }
        DicomTls tls = tls(aets, tlsPort);
        ScpSettings scp = new ScpSettings(
                values.aeTitle("gateway.scp.aet", "DICOMWEB"),
                values.string("gateway.scp.bind-address", "0.0.0.0"),
                port,
                values.integer("gateway.scp.max-pdu-length", 65536, 4096, 1 << 24),
                values.integer("gateway.scp.dimse-timeout-ms", 60_000, 1, Integer.MAX_VALUE),
                values.bool("gateway.scp.uncompressed-only", false),
                values.optional("gateway.scp.ingest-aet").orElse(null),
                tlsPort, tlsPort == 0 ? null : tls);
        Map<String, RemoteAe> aes = new LinkedHashMap<>();
        for (String aet : aets) {
            aes.put(aet, remoteAe(aet, scp.aet(), values.bool(tlsKey(aet), false) ? tls : null));
        }
        Map<String, Set<String>> moveDestinations = new LinkedHashMap<>();
        for (String aet : aets) {
            moveDestinations.put(aet, moveDestinations(aet, aes.keySet()));
        }
        return new DimseSettings(scp, Collections.unmodifiableMap(aes), Collections.unmodifiableMap(moveDestinations));
    }

    /**
     * {@code gateway.aet.<AET>.move-destinations}: the AEs this PACS may C-MOVE to directly, each a DIMSE AE, since
     * the PACS knows it by that AE's called AE title (which the gateway's configuration gives).
     */
    private Set<String> moveDestinations(String aet, Set<String> dimseAets) {
        String key = "gateway.aet." + aet + ".move-destinations";
        Set<String> destinations = new LinkedHashSet<>();
        Optional<String> list = values.optional(key);
        if (list.isEmpty()) {
            return Set.of();
        }
        for (String entry : list.get().split(",", -1)) {
            String name = entry.trim();
            if (name.isEmpty()) {
                throw new ConfigurationException(key, "has an empty entry (comma-separated AE names)");
            }
            if (!dimseAets.contains(name)) {
                throw new ConfigurationException(key, "lists '" + name
                        + "', which is not an AE of gateway.aets served over DIMSE (backend dimse)");
            }
            destinations.add(name);
        }
        return Collections.unmodifiableSet(destinations);
    }

    /**
     * The key material, read (and loaded, so that a bad path or password fails here, naming the key) once if anything
     * speaks TLS: an AE with {@code tls=true}, or the TLS listener; null otherwise.
     */
    private DicomTls tls(List<String> aets, int tlsPort) {
        List<String> tlsAets = aets.stream().filter(aet -> values.bool(tlsKey(aet), false)).toList();
        if (tlsAets.isEmpty() && tlsPort == 0) {
            return null;
        }
        String why = tlsPort != 0 ? TLS_PORT + " is set" : tlsKey(tlsAets.get(0)) + " is true";
        return DicomTls.read(values, tlsPort != 0, why);
    }

    private static String tlsKey(String aet) {
        return "gateway.aet." + aet + ".tls";
    }

    private RemoteAe remoteAe(String aet, String defaultCallingAet, DicomTls tls) {
        String k = "gateway.aet." + aet + ".";
        return new RemoteAe(aet, values.required(k + "host", "AE " + aet + " is listed in gateway.aets"),
                values.integer(k + "port", null, 1, 65535),
                values.aeTitle(k + "calling-aet", defaultCallingAet),
                values.integer(k + "pool-size", 4, 1, 1024),
                values.integer(k + "pool-wait-timeout-ms", 10_000, 0, Integer.MAX_VALUE),
                values.integer(k + "connect-timeout-ms", 5_000, 1, Integer.MAX_VALUE),
                values.integer(k + "dimse-timeout-ms", 30_000, 1, Integer.MAX_VALUE),
                values.integer(k + "idle-timeout-ms", 15_000, 1, Integer.MAX_VALUE),
                values.integer(k + "echo-after-idle-ms", 30_000, 0, Integer.MAX_VALUE),
                values.integer(k + "max-pdu-length", 65536, 4096, 1 << 24),
                values.choice(k + "relational-queries", RelationalQueries.AUTO),
                values.aeTitle(k + "called-aet", aet),
                values.choice(k + "retrieve", RetrieveStrategy.AUTO),
                values.choice(k + "move-routing", MoveRouting.ORIGINATOR),
                values.integer(k + "max-concurrent-retrieves", 4, 1, 1024),
                values.integer(k + "max-concurrent-stores", 4, 1, 1024),
                tls);
    }
}
