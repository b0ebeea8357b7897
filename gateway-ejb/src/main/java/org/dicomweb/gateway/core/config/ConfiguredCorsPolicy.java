package org.dicomweb.gateway.core.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.dicomweb.gateway.access.cors.CorsPolicy;
import org.dicomweb.gateway.access.cors.CorsSettings;

/**
 * {@link CorsPolicy} from the configuration in force: read once per configuration snapshot (the {@link ConfigValues}
 * that {@link GatewayConfiguration#values()} returns), so a reload that swaps the snapshot applies to the next request
 * without a re-read per request.
 */
@ApplicationScoped
public class ConfiguredCorsPolicy implements CorsPolicy {

    @Inject
    GatewayConfiguration configuration;

    private volatile Read read;

    /** The settings and the snapshot they were read from. */
    private record Read(ConfigValues source, CorsSettings settings) {
    }

    /** Checked when the application starts, so that a bad origin stops the deployment, naming the key. */
    void validateAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object started) {
        current();
    }

    @Override
    public CorsSettings current() {
        ConfigValues values = configuration.values();
        Read last = read;
        if (last == null || last.source() != values) {
            last = new Read(values, CorsSettingsReader.read(values));
            read = last;
        }
        return last.settings();
    }
}
