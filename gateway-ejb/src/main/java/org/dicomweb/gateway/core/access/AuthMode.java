package org.dicomweb.gateway.core.access;

/** {@code gateway.auth.mode}: bearer tokens checked by WildFly's elytron-oidc-client, or no authentication at all. */
public enum AuthMode {
    OIDC, NONE
}
