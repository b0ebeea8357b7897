package org.dicomweb.gateway.core.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.validation.RequestLimits;

/** {@link RequestLimits} from the settings read (and validated) at deployment. */
@ApplicationScoped
public class ConfiguredRequestLimits implements RequestLimits {

    @Inject
    GatewayConfiguration configuration;

    @Override
    public int maxQueryLength() {
        return configuration.settings().httpMaxQueryLength();
    }

    @Override
    public long maxStowRequestBytes() {
        return configuration.settings().stowMaxRequestMb() * 1024L * 1024L;
    }
}
