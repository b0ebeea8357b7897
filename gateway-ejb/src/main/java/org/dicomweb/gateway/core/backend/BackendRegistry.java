package org.dicomweb.gateway.core.backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigurationChanged;
import org.dicomweb.gateway.core.config.ConfigurationCheck;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.error.UnknownAeException;

/**
 * Which backend serves which AE: the {@link Backend} beans found in the deployment, by name, matched against each
 * configured AE's {@code gateway.aet.<AET>.backend}. An AE naming a backend the deployment lacks fails the deployment
 * with that key, rather than the first request to it, and refuses a configuration reload; a reload is also checked by
 * every backend ({@link Backend#check}).
 */
@ApplicationScoped
public class BackendRegistry implements ConfigurationCheck {

    @Inject
    @Any
    Instance<Backend> backends;

    @Inject
    GatewayConfiguration configuration;

    private Map<String, Backend> byName;
    private volatile Map<String, Backend> byAet;

    @PostConstruct
    void match() {
        Map<String, Backend> found = new HashMap<>();
        backends.forEach(backend -> found.put(backend.name(), backend));
        byName = found;
        byAet = match(configuration.settings());
    }

    private Map<String, Backend> match(GatewaySettings settings) {
        Map<String, Backend> matched = new HashMap<>();
        settings.aeBackends().forEach((aet, name) -> {
            Backend backend = byName.get(name);
            if (backend == null) {
                throw new ConfigurationException("gateway.aet." + aet + ".backend",
                        "is '" + name + "', but this deployment has only " + byName.keySet().stream().sorted().toList());
            }
            matched.put(aet, backend);
        });
        return Map.copyOf(matched);
    }

    /** Checked when the application starts, so that a misconfigured AE stops the deployment. */
    void validateAtDeployment(@Observes @Initialized(ApplicationScoped.class) Object started) {
        byAet.size();
    }

    @Override
    public void check(ConfigSnapshot candidate) {
        match(candidate.settings());
        byName.values().forEach(backend -> backend.check(candidate));
    }

    void rematch(@Observes ConfigurationChanged change) {
        byAet = match(change.current().settings());
    }

    /** The backend serving {@code aet}; 404 (UnknownAeException) for an AE not configured. */
    public Backend backend(String aet) {
        Backend backend = byAet.get(aet);
        if (backend == null) {
            throw new UnknownAeException(aet);
        }
        return backend;
    }

    /** The configured AEs, in configuration order. */
    public List<String> aets() {
        return List.copyOf(configuration.settings().aeBackends().keySet());
    }
}
