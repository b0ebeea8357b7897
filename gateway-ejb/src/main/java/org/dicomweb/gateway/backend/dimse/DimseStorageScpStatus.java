package org.dicomweb.gateway.backend.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.backend.dimse.config.ScpSettings;
import org.dicomweb.gateway.health.StorageScpStatus;

/** {@link StorageScpStatus} of the listener owned by {@link DimseDevice}. */
@ApplicationScoped
public class DimseStorageScpStatus implements StorageScpStatus {

    @Inject
    DimseDevice device;

    @Override
    public String aet() {
        return device.settings().scp().aet();
    }

    @Override
    public String address() {
        ScpSettings scp = device.settings().scp();
        return scp.bindAddress() + ":" + scp.port();
    }

    @Override
    public boolean isListening() {
        return device.isScpListening();
    }
}
