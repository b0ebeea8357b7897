package org.dicomweb.gateway.core.config;

import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

/**
 * The gateway's configuration in force: a {@link ConfigSnapshot} read at deployment and replaced as a whole by a
 * configuration reload ({@link ConfigurationReloader}), so that a reader always gets one consistent state. Read it at
 * the point of use ({@link #settings()}, {@link #values()}); per-AE state built from it is rebuilt on
 * {@link ConfigurationChanged}.
 */
@ApplicationScoped
public class GatewayConfiguration {

    @Inject
    Config config;

    private Function<String, Optional<String>> deployed;
    private volatile ConfigSnapshot current;

    @PostConstruct
    void read() {
        deployed = key -> config.getOptionalValue(key, String.class);
        current = ConfigSnapshot.read(deployed, config.getPropertyNames());
    }

    /** The backend-neutral settings in force. */
    public GatewaySettings settings() {
        return current.settings();
    }

    /** The validated key reader of the configuration in force. */
    public ConfigValues values() {
        return current.values();
    }

    public ConfigSnapshot snapshot() {
        return current;
    }

    /** The configuration as the deployment was given it (what stays in force for the keys only a reload applies). */
    Function<String, Optional<String>> deployed() {
        return deployed;
    }

    void swap(ConfigSnapshot next) {
        current = next;
    }
}
