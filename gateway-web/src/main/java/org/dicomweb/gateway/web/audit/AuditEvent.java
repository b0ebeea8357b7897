package org.dicomweb.gateway.web.audit;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.dicomweb.gateway.access.RequestTarget;

/**
 * One HTTP request as its audit record tells it: who asked (the principal, "anonymous" without one) from where, what it
 * addressed, what it moved and how it ended. {@code path} is the request's path below the context root as sent
 * (e.g. {@code /aets/X/studies}), {@code query} its raw query string (null without one), {@code preflight} true for a
 * CORS preflight (answered by the gateway without reading anything), {@code instances} and {@code matches} -1 where
 * the request reports no count, {@code storedStudies} the studies a STOW-RS stored instances of.
 */
record AuditEvent(Instant start, long durationMs, String user, String clientAddress, String gatewayUrl,
        String gatewayAddress, String sourceId, String method, String path, String query, RequestTarget target,
        boolean preflight, int status, boolean cutOff, long bytesIn, long bytesOut, int instances, int matches,
        List<String> storedStudies) {

    static final String ANONYMOUS = "anonymous";

    /** The path's study, then each study stored, once each. */
    List<String> studies() {
        if (preflight) {
            return List.of();
        }
        return Stream.concat(Stream.ofNullable(target.study()), storedStudies.stream()).distinct().toList();
    }
}
