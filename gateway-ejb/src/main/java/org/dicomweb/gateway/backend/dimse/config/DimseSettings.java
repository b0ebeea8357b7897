package org.dicomweb.gateway.backend.dimse.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The DIMSE backend's settings: the gateway's Storage SCP, the AEs served over DIMSE in configuration order, and for
 * each of them the AEs it may C-MOVE to directly ({@code move-destinations}; empty: none).
 */
public record DimseSettings(ScpSettings scp, Map<String, RemoteAe> remoteAes,
        Map<String, Set<String>> moveDestinations) {

    public Optional<RemoteAe> remoteAe(String aet) {
        return Optional.ofNullable(remoteAes.get(aet));
    }

    /** Whether {@code sourceAet}'s PACS is configured to know {@code destinationAet} as a C-MOVE destination. */
    public boolean movesTo(String sourceAet, String destinationAet) {
        return moveDestinations.getOrDefault(sourceAet, Set.of()).contains(destinationAet);
    }
}
