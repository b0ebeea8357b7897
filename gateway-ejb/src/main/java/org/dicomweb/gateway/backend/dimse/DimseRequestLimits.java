package org.dicomweb.gateway.backend.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.validation.RequestLimits;

/** {@link RequestLimits} from the settings the device read (and validated) at deployment. */
@ApplicationScoped
public class DimseRequestLimits implements RequestLimits {

    @Inject
    DimseDevice device;

    @Override
    public int maxQueryLength() {
        return device.settings().httpMaxQueryLength();
    }
}
