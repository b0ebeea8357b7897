package org.dicomweb.gateway.core.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The keys a configuration reload does not apply, because what they configure is built once at deployment: the Storage
 * SCP's listeners and AE title (and the C-STORE ingest built with it), the DICOM TLS key material, the authentication
 * mode and its OIDC provider, the instance cache, the retrieval task workers, and the limits captured into the services
 * at deployment (spooling budget, bulk data threshold, QIDO page of tasks). A reloaded configuration keeps their
 * deployment values, so every part sees the values actually in force; the reload reports the ones whose configured
 * value differs. docs/deployment.md ("What still needs a reload") lists them.
 */
final class ReloadRequired {

    private static final Set<String> KEYS = Set.of("gateway.scp.aet", "gateway.scp.bind-address", "gateway.scp.port",
            "gateway.scp.max-pdu-length", "gateway.scp.dimse-timeout-ms", "gateway.scp.uncompressed-only",
            "gateway.scp.ingest-aet", "gateway.scp.tls-port", "gateway.stow.memory-spool-mb", "gateway.stow.memory-part-kb",
            "gateway.wado.bulkdata-threshold-bytes", "gateway.qido.max-results", "gateway.auth.mode");
    /**
     * The DICOM TLS key and trust stores too (the TLS contexts of the listener and of associations are made once), and
     * the OIDC provider, which WildFly's secure-deployment takes at deployment, as the authentication mode.
     */
    private static final List<String> PREFIXES = List.of("gateway.cache.", "gateway.tasks.", "gateway.tls.",
            "gateway.oidc.");

    private ReloadRequired() {
    }

    static boolean applies(String key) {
        return KEYS.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** {@code configured}, but the keys only a server reload applies answered by {@code deployed}. */
    static Function<String, Optional<String>> pinned(Function<String, Optional<String>> deployed,
            Function<String, Optional<String>> configured) {
        return key -> applies(key) ? deployed.apply(key) : configured.apply(key);
    }

    /** Of {@code names} (and the fixed keys), those only a reload applies whose configured value is not the deployed. */
    static List<String> differing(Iterable<String> names, Function<String, Optional<String>> deployed,
            Function<String, Optional<String>> configured) {
        Set<String> keys = new TreeSet<>(KEYS);
        names.forEach(keys::add);
        return keys.stream().filter(ReloadRequired::applies)
                .filter(key -> !trimmed(deployed.apply(key)).equals(trimmed(configured.apply(key)))).toList();
    }

    private static Optional<String> trimmed(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }
}
