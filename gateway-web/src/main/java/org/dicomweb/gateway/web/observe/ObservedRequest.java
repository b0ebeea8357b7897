package org.dicomweb.gateway.web.observe;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;

/**
 * One HTTP request as {@link ObservingFilter} saw it from its arrival to its end: who asked (the principal,
 * "anonymous" without one) from where, what it addressed, what it moved and how it ended. {@code path} is the
 * request's path below the context root as sent (e.g. {@code /aets/X/studies}), {@code query} its raw query string
 * (null without one), {@code target} what RequestTargetFilter parsed (null for a request JAX-RS never saw),
 * {@code preflight} true for a CORS preflight (answered by the gateway without reading anything), {@code bytesIn} and
 * {@code bytesOut} the body bytes read from and written to the client, {@code instances} and {@code matches} -1 where
 * the request reports no count ({@link RequestFacts}), {@code storedStudies} the studies a STOW-RS stored instances of.
 */
public record ObservedRequest(Instant start, long durationNanos, String user, String clientAddress, String gatewayUrl,
        String gatewayAddress, String method, String path, String query, RequestTarget target, boolean preflight,
        int status, boolean cutOff, long bytesIn, long bytesOut, int instances, int matches,
        List<String> storedStudies) {

    public static final String ANONYMOUS = "anonymous";

    /** The target, or {@link Service#UNKNOWN} for a request refused before JAX-RS saw it. */
    public RequestTarget addressed() {
        return target != null ? target : RequestTarget.of(Service.UNKNOWN);
    }

    public long durationMs() {
        return TimeUnit.NANOSECONDS.toMillis(durationNanos);
    }

    /** The path's study, then each study stored, once each; none for a preflight. */
    public List<String> studies() {
        if (preflight) {
            return List.of();
        }
        return Stream.concat(Stream.ofNullable(addressed().study()), storedStudies.stream()).distinct().toList();
    }
}
