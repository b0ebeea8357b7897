package org.dicomweb.gateway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The deployment's configuration sources as they are, except one: the gateway's config source answered by its
 * current management model (what the CLI or the admin console wrote since deployment) instead of its deployment-time
 * properties. WildFly gives a deployment its config sources once, at deployment; this is how a reload sees a change
 * without a server reload. The sources keep their order (ordinal): a system property (400) still wins over the config
 * source (300), which wins over the deployment's own files (100). A config source created after the deployment takes
 * the place its ordinal gives it.
 */
final class ConfigOverlay implements Function<String, Optional<String>> {

    private final List<ConfigSource> others;
    /** Where among {@link #others} the model is asked: before the source at this index. */
    private final int modelAt;
    private final Map<String, String> model;
    private final BiFunction<String, String, Optional<String>> expanded;

    /**
     * {@code sources}: highest ordinal first; {@code replaced}: whether a source (by name) is the one {@code model}
     * stands for, whose ordinal is {@code ordinal}; {@code expanded}: a value as the deployment's Config gives it
     * (expressions expanded) if the source of that name is the one it comes from, else empty (then the source's raw
     * value is used).
     */
    ConfigOverlay(List<ConfigSource> sources, Predicate<String> replaced, int ordinal, Map<String, String> model,
            BiFunction<String, String, Optional<String>> expanded) {
        List<ConfigSource> kept = new ArrayList<>();
        int at = -1;
        for (ConfigSource source : sources) {
            if (replaced.test(source.getName())) {
                at = at < 0 ? kept.size() : at;
            } else {
                kept.add(source);
            }
        }
        if (at < 0) {
            at = 0;
            while (at < kept.size() && kept.get(at).getOrdinal() >= ordinal) {
                at++;
            }
        }
        this.others = List.copyOf(kept);
        this.modelAt = at;
        this.model = Map.copyOf(model);
        this.expanded = expanded;
    }

    @Override
    public Optional<String> apply(String key) {
        for (int i = 0; i <= others.size(); i++) {
            if (i == modelAt && model.containsKey(key)) {
                return Optional.of(model.get(key)); // the management model's resolved value
            }
            if (i < others.size()) {
                ConfigSource source = others.get(i);
                String raw = source.getValue(key);
                if (raw != null) {
                    return expanded.apply(source.getName(), key).or(() -> Optional.of(raw));
                }
            }
        }
        return Optional.empty();
    }
}
