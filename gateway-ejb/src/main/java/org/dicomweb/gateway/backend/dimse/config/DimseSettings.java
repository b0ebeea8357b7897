package org.dicomweb.gateway.backend.dimse.config;

import java.util.Map;
import java.util.Optional;

/** The DIMSE backend's settings: the gateway's Storage SCP and the AEs served over DIMSE, in configuration order. */
public record DimseSettings(ScpSettings scp, Map<String, RemoteAe> remoteAes) {

    public Optional<RemoteAe> remoteAe(String aet) {
        return Optional.ofNullable(remoteAes.get(aet));
    }
}
