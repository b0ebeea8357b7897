package org.dicomweb.gateway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CDI event fired (synchronously) after a configuration reload replaced the running configuration: the previous
 * and the current snapshot, and the AEs added, changed (their backend or one of their own keys), removed and
 * unchanged. The owners of per-AE state (pools, clients) observe it and rebuild what belongs to added, changed and
 * removed AEs only; an unchanged AE keeps what it has.
 */
public record ConfigurationChanged(ConfigSnapshot previous, ConfigSnapshot current, List<String> added,
        List<String> changed, List<String> removed, List<String> unchanged) {

    public ConfigurationChanged {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
    }

    /** The AEs of {@code current} in its order (removed ones in {@code previous}'s), sorted by what became of them. */
    public static ConfigurationChanged between(ConfigSnapshot previous, ConfigSnapshot current) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        current.settings().aeBackends().forEach((aet, backend) -> {
            String before = previous.settings().aeBackends().get(aet);
            if (before == null) {
                added.add(aet);
            } else if (before.equals(backend) && Objects.equals(previous.aeKeys(aet), current.aeKeys(aet))) {
                unchanged.add(aet);
            } else {
                changed.add(aet);
            }
        });
        List<String> removed = previous.settings().aeBackends().keySet().stream()
                .filter(aet -> !current.settings().aeBackends().containsKey(aet)).toList();
        return new ConfigurationChanged(previous, current, added, changed, removed, unchanged);
    }

    /** Whether {@code aet} is configured as before, so that what was built for it stays. */
    public boolean keeps(String aet) {
        return unchanged.contains(aet);
    }
}
