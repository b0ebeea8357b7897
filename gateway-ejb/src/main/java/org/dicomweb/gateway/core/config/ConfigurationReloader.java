package org.dicomweb.gateway.core.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.dicomweb.gateway.admin.ConfigurationReload;
import org.dicomweb.gateway.admin.ConfigurationService;
import org.dicomweb.gateway.error.InvalidConfigurationException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A configuration reload without a server reload: the config source's current management model over the deployment's
 * other sources ({@link ConfigOverlay}), read and validated whole — the backend-neutral settings, then every
 * {@link ConfigurationCheck} (each backend's per-AE keys, each AE's backend known) — and only then swapped in, followed
 * by {@link ConfigurationChanged}. One reload at a time; the keys only a server reload applies keep their deployment
 * values ({@link ReloadRequired}).
 */
@ApplicationScoped
public class ConfigurationReloader implements ConfigurationService {

    private static final Logger LOG = Logger.getLogger(ConfigurationReloader.class.getName());

    @Inject
    Config config;

    @Inject
    GatewayConfiguration configuration;

    @Inject
    @Any
    Instance<ConfigurationCheck> checks;

    @Inject
    Event<ConfigurationChanged> changed;

    @Override
    public synchronized ConfigurationReload reload() {
        LiveConfigSource.Model model = LiveConfigSource.read();
        // A Config of its own over the sources, so that values are read as at deployment (expressions expanded, the
        // highest ordinal first); it is only read, never registered.
        Config current = ConfigProviderResolver.instance().getBuilder()
                .withSources(ConfigOverlay.sources(config.getConfigSources(), LiveConfigSource::isIt,
                        LiveConfigSource.NAME, model.ordinal(), model.properties()).toArray(ConfigSource[]::new))
                .build();
        Function<String, Optional<String>> configured = key -> current.getOptionalValue(key, String.class);
        Set<String> names = new TreeSet<>();
        current.getPropertyNames().forEach(names::add);
        ConfigSnapshot candidate;
        try {
            candidate = ConfigSnapshot.read(ReloadRequired.pinned(configuration.deployed(), configured), names);
            for (ConfigurationCheck check : checks) {
                check.check(candidate);
            }
        } catch (ConfigurationException e) {
            LOG.warning("configuration reload refused, the configuration in force stays: " + e.getMessage());
            throw new InvalidConfigurationException(e.getMessage(), e);
        }
        ConfigurationChanged change = ConfigurationChanged.between(configuration.snapshot(), candidate);
        configuration.swap(candidate);
        changed.fire(change);
        List<String> needsReload = ReloadRequired.differing(names, configuration.deployed(), configured);
        LOG.info("configuration reloaded: added " + change.added() + ", changed " + change.changed() + ", removed "
                + change.removed() + ", unchanged " + change.unchanged().size() + " AEs"
                + (needsReload.isEmpty() ? "" : "; not applied until a server reload: " + needsReload));
        return new ConfigurationReload(change.added(), change.changed(), change.removed(), change.unchanged(),
                needsReload);
    }
}
