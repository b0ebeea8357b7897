package org.dicomweb.gateway.access;

/**
 * What one HTTP request addresses, parsed once from its method and path (gateway-web's RequestTargets) for the access
 * check, the audit trail and the metrics. {@code aet} is null for a request not addressed to one AE ({@code /aets},
 * {@code /tasks}, {@code /changefeed}, {@code /admin}); the UIDs are those of the path, null where it has none.
 */
public record RequestTarget(Service service, String aet, String study, String series, String instance) {

    /** The request context property (JAX-RS) under which the web layer keeps a request's target. */
    public static final String PROPERTY = RequestTarget.class.getName();

    public static RequestTarget of(Service service) {
        return new RequestTarget(service, null, null, null, null);
    }
}
