package org.dicomweb.gateway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The configuration sources a reload reads: the deployment's own, except the gateway's config source, whose
 * deployment-time properties are replaced by its current management model (what the CLI or the admin console wrote
 * since). WildFly gives a deployment its config sources once, at deployment; this is how a reload sees a change
 * without a server reload. Each keeps its ordinal, so a system property (400) still wins over the config source (300),
 * which wins over the deployment's own files (100); a config source created after the deployment joins at its ordinal.
 */
final class ConfigOverlay {

    private ConfigOverlay() {
    }

    /**
     * {@code deployed} without the sources {@code replaced} names, plus {@code model} as a source named {@code name}
     * of {@code ordinal}.
     */
    static List<ConfigSource> sources(Iterable<ConfigSource> deployed, Predicate<String> replaced, String name,
            int ordinal, Map<String, String> model) {
        List<ConfigSource> sources = new ArrayList<>();
        for (ConfigSource source : deployed) {
            if (!replaced.test(source.getName())) {
                sources.add(source);
            }
        }
        sources.add(new ModelSource(name, ordinal, Map.copyOf(model)));
        return sources;
    }

    /**
     * The management model's properties; their expressions (${...}) are expanded by the Config reading them. (Also the
     * test's stand-in for the deployment's other sources: a plain map with a name and an ordinal.)
     */
    record ModelSource(String name, int ordinal, Map<String, String> properties) implements ConfigSource {

        @Override
        public Set<String> getPropertyNames() {
            return properties.keySet();
        }

        @Override
        public String getValue(String key) {
            return properties.get(key);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getOrdinal() {
            return ordinal;
        }
    }
}
