package org.dicomweb.gateway.core.config;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.config.ScpSettings;

import java.util.Map;
import java.util.Optional;

/** Everything the gateway reads from MicroProfile Config at deployment, validated. */
public record GatewaySettings(ScpSettings scp, Map<String, RemoteAe> remoteAes, int qidoMaxResults,
        int stowParallelStores, int stowMaxRequestMb, int stowMemorySpoolMb, int stowMemoryPartKb,
        int wadoBulkDataThresholdBytes, int httpMaxQueryLength, int stalledClientTimeoutMs) {

    public Optional<RemoteAe> remoteAe(String aet) {
        return Optional.ofNullable(remoteAes.get(aet));
    }
}
