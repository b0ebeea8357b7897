package org.dicomweb.gateway.admin;

import java.util.List;

/**
 * What a configuration reload did: the AEs it added, changed (their pools and clients replaced) and removed, the AEs
 * it left as they were (their pools and associations kept), each in configuration order (removed ones in the old
 * order), and the keys whose new values were not applied because only a server reload applies them.
 */
public record ConfigurationReload(List<String> added, List<String> changed, List<String> removed,
        List<String> unchanged, List<String> needsReload) {

    public ConfigurationReload {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        needsReload = List.copyOf(needsReload);
    }
}
