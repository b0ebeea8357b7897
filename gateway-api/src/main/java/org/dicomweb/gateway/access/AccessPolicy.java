package org.dicomweb.gateway.access;

/**
 * Whether a caller may do what a request asks (docs/security.md): the roles each AE accepts per {@link Operation},
 * the super-user role, and the mode ({@code gateway.auth.mode}: {@code oidc} checks, {@code none} allows
 * everything). Read from the current configuration on every call.
 */
public interface AccessPolicy {

    /** The access check of one HTTP request, by what it addresses. */
    AccessDecision check(Caller caller, RequestTarget target);

    /**
     * A retrieval task asked over REST: the caller needs the {@code tasks} roles of the source AE and, where the
     * destination AE lists {@code roles.destination}, one of those.
     */
    AccessDecision checkTask(Caller caller, String sourceAet, String destinationAet);
}
