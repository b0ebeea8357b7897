package org.dicomweb.gateway.core.tasks;

import java.time.Duration;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * When a failed attempt is tried again (docs/configuration.md, "Retrieval tasks"): only after a transient failure (a
 * peer down or failing, a timeout, the gateway busy), at most {@code maxAttempts} attempts in all, each retry waiting
 * {@code retryDelayMs} times {@code multiplier} to the power of the retries before it, at most {@code maxRetryDelayMs}.
 */
public record RetryPolicy(int maxAttempts, long retryDelayMs, int multiplier, long maxRetryDelayMs) {

    public static RetryPolicy read(ConfigValues values) {
        return new RetryPolicy(values.integer("gateway.tasks.max-attempts", 5, 1, 1000),
                values.integer("gateway.tasks.retry-delay-ms", 10_000, 0, Integer.MAX_VALUE),
                values.integer("gateway.tasks.retry-multiplier", 2, 1, 100),
                values.integer("gateway.tasks.max-retry-delay-ms", 600_000, 0, Integer.MAX_VALUE));
    }

    /** A failure another attempt may not meet: the peer may be back, the gateway less busy. */
    public static boolean isTransient(Throwable failure) {
        return failure instanceof PeerFailureException || failure instanceof PeerTimeoutException
                || failure instanceof GatewayBusyException;
    }

    /** Whether the task is tried again after its {@code attempts}-th attempt failed with {@code failure}. */
    public boolean retries(int attempts, Throwable failure) {
        return isTransient(failure) && attempts < maxAttempts;
    }

    /** How long to wait after the {@code attempts}-th attempt failed (1: the first retry waits retryDelayMs). */
    public Duration delayAfter(int attempts) {
        double delay = retryDelayMs;
        for (int i = 1; i < attempts && delay < maxRetryDelayMs; i++) {
            delay *= multiplier;
        }
        return Duration.ofMillis((long) Math.min(delay, maxRetryDelayMs));
    }
}
