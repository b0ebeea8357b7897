package org.dicomweb.gateway.core.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

/**
 * The gateway's configuration as read once at deployment: the backend-neutral {@link GatewaySettings}, and the
 * validated key reader each backend reads its own keys with.
 */
@ApplicationScoped
public class GatewayConfiguration {

    @Inject
    Config config;

    private ConfigValues values;
    private GatewaySettings settings;

    @PostConstruct
    void read() {
        values = new ConfigValues(key -> config.getOptionalValue(key, String.class));
        settings = new GatewaySettingsReader(key -> config.getOptionalValue(key, String.class)).read();
    }

    public GatewaySettings settings() {
        return settings;
    }

    public ConfigValues values() {
        return values;
    }
}
