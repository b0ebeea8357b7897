package org.dicomweb.gateway.validation;

/** Bounds on what a client may send, checked by the HTTP layer before a request reaches a service. */
public interface RequestLimits {

    /** The longest query string accepted, in characters as sent (percent-encoded): gateway.http.max-query-length. */
    int maxQueryLength();

    /** The largest STOW-RS request body accepted, in bytes: gateway.stow.max-request-mb. */
    long maxStowRequestBytes();
}
