package org.dicomweb.gateway.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The deployment's configuration sources as they are, except one: the gateway's config source answered by its
 * current management model (what the CLI or the admin console wrote since deployment) instead of its deployment-time
 * properties. WildFly gives a deployment its config sources once, at deployment; this is how a reload sees a change
 * without a server reload. The sources keep their order (ordinal): a system property (400) still wins over the config
 * source (300), which wins over the deployment's own files (100).
 */
final class ConfigOverlay implements Function<String, Optional<String>> {

    private final List<ConfigSource> sources;
    private final String replaced;
    private final Map<String, String> model;
    private final BiFunction<String, String, Optional<String>> expanded;

    /**
     * {@code sources}: highest ordinal first; {@code replaced}: the name of the one answered by {@code model};
     * {@code expanded}: a value as the deployment's Config gives it (expressions expanded), if the source of that name
     * is the one it comes from, else empty (then the source's raw value is used).
     */
    ConfigOverlay(List<ConfigSource> sources, String replaced, Map<String, String> model,
            BiFunction<String, String, Optional<String>> expanded) {
        this.sources = List.copyOf(sources);
        this.replaced = replaced;
        this.model = Map.copyOf(model);
        this.expanded = expanded;
    }

    @Override
    public Optional<String> apply(String key) {
        for (ConfigSource source : sources) {
            if (source.getName().equals(replaced)) {
                String value = model.get(key);
                if (value != null) {
                    return Optional.of(value); // the management model's resolved value
                }
                continue;
            }
            String raw = source.getValue(key);
            if (raw != null) {
                return expanded.apply(source.getName(), key).or(() -> Optional.of(raw));
            }
        }
        return Optional.empty();
    }
}
