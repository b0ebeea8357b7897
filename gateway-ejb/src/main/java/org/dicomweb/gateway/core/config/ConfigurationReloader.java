package org.dicomweb.gateway.core.config;

import java.util.ArrayList;
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
import org.eclipse.microprofile.config.ConfigValue;
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
        Function<String, Optional<String>> configured = new ConfigOverlay(sources(), LiveConfigSource::isIt,
                model.ordinal(), model.properties(), this::expanded);
        Set<String> names = new TreeSet<>(model.properties().keySet());
        config.getPropertyNames().forEach(names::add);
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

    private List<ConfigSource> sources() {
        List<ConfigSource> sources = new ArrayList<>();
        config.getConfigSources().forEach(sources::add); // highest ordinal first (MicroProfile Config)
        return sources;
    }

    /** The deployment's Config's value of {@code key}, expressions expanded, if it comes from {@code source}. */
    private Optional<String> expanded(String source, String key) {
        ConfigValue value = config.getConfigValue(key);
        return source.equals(value.getSourceName()) ? Optional.ofNullable(value.getValue()) : Optional.empty();
    }
}
