package org.dicomweb.gateway.access;

/**
 * The answer of the {@link AccessPolicy}: allowed, or refused with a one-line reason for the client (401 when the
 * caller is not authenticated, 403 when a role is missing).
 */
public record AccessDecision(Outcome outcome, String reason) {

    public enum Outcome {
        ALLOWED, UNAUTHENTICATED, FORBIDDEN
    }

    private static final AccessDecision ALLOWED = new AccessDecision(Outcome.ALLOWED, null);

    public static AccessDecision allowed() {
        return ALLOWED;
    }

    public static AccessDecision unauthenticated(String reason) {
        return new AccessDecision(Outcome.UNAUTHENTICATED, reason);
    }

    public static AccessDecision forbidden(String reason) {
        return new AccessDecision(Outcome.FORBIDDEN, reason);
    }

    public boolean isAllowed() {
        return outcome == Outcome.ALLOWED;
    }
}
