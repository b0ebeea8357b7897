package org.dicomweb.gateway.core.config;

import java.util.List;
import java.util.Map;

/**
 * The backend-neutral keys the gateway reads from MicroProfile Config at deployment, validated: which AEs exist and
 * the name of the backend serving each ({@code gateway.aet.<AET>.backend}, in {@code gateway.aets} order), and the
 * limits every backend shares. Each backend reads its own per-AE keys itself.
 */
public record GatewaySettings(Map<String, String> aeBackends, int qidoMaxResults,
        int stowParallelStores, int stowMaxRequestMb, int stowMemorySpoolMb, int stowMemoryPartKb,
        int wadoBulkDataThresholdBytes, int httpMaxQueryLength, int stalledClientTimeoutMs) {

    /** The configured AEs a backend serves, in configuration order. */
    public List<String> aetsServedBy(String backend) {
        return aeBackends.entrySet().stream().filter(e -> e.getValue().equals(backend)).map(Map.Entry::getKey).toList();
    }
}
