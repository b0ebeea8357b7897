package org.dicomweb.gateway.backend.deidentify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pseudonym → original pairs of {@link UidMap} this node recorded or read lately, least recently used first out:
 * a cache only (a pair not here is asked of the table), bounded so memory does not grow with the archive.
 */
final class RecentUids {

    private final Map<String, String> pairs;

    RecentUids(int capacity) {
        pairs = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    private static String key(String aet, String pseudonym) {
        return aet + '\\' + pseudonym; // a backslash is in neither an AE title nor a UID
    }

    synchronized Optional<String> original(String aet, String pseudonym) {
        return Optional.ofNullable(pairs.get(key(aet, pseudonym)));
    }

    /** The pairs of {@code candidates} not remembered (with the same original). */
    synchronized Map<String, String> unknown(String aet, Map<String, String> candidates) {
        Map<String, String> unknown = new LinkedHashMap<>();
        candidates.forEach((pseudonym, original) -> {
            if (!original.equals(pairs.get(key(aet, pseudonym)))) {
                unknown.put(pseudonym, original);
            }
        });
        return unknown;
    }

    synchronized void remember(String aet, Map<String, String> recorded) {
        recorded.forEach((pseudonym, original) -> pairs.put(key(aet, pseudonym), original));
    }
}
