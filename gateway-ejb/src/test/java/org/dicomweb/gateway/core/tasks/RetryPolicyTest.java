package org.dicomweb.gateway.core.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.error.PeerTimeoutException;

class RetryPolicyTest {

    private static RetryPolicy read(Map<String, String> keys) {
        return RetryPolicy.read(new ConfigValues(key -> Optional.ofNullable(keys.get(key))));
    }

    @Test
    void defaultsAreThoseOfTheDocumentation() {
        assertEquals(new RetryPolicy(5, 10_000, 2, 600_000), read(Map.of()));
    }

    @Test
    void aBadKeyIsNamed() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> read(Map.of("gateway.tasks.max-attempts", "0")));
        assertTrue(e.getMessage().contains("gateway.tasks.max-attempts"), e.getMessage());
    }

    @Test
    void theDelayGrowsByTheMultiplierUpToTheMaximum() {
        RetryPolicy policy = new RetryPolicy(10, 10_000, 2, 60_000);
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(20), policy.delayAfter(2));
        assertEquals(Duration.ofSeconds(40), policy.delayAfter(3));
        assertEquals(Duration.ofSeconds(60), policy.delayAfter(4));
        assertEquals(Duration.ofSeconds(60), policy.delayAfter(1000), "no overflow after many attempts");
    }

    @Test
    void aMultiplierOfOneKeepsTheDelay() {
        RetryPolicy policy = new RetryPolicy(3, 500, 1, 600_000);
        assertEquals(Duration.ofMillis(500), policy.delayAfter(1));
        assertEquals(Duration.ofMillis(500), policy.delayAfter(2));
    }

    @Test
    void onlyTransientFailuresAreRetried() {
        RetryPolicy policy = new RetryPolicy(3, 500, 2, 600_000);
        assertTrue(policy.retries(1, new PeerFailureException("PACS down", null)));
        assertTrue(policy.retries(1, new PeerTimeoutException("no answer", null)));
        assertTrue(policy.retries(2, new GatewayBusyException("no free thread")));
        assertFalse(policy.retries(1, new NotFoundInPacsException("no such study")));
        assertFalse(policy.retries(1, new InvalidRequestException("bad")));
        assertFalse(policy.retries(1, new PeerRejectedException(409, "refused")));
    }

    @Test
    void notAfterTheLastAttempt() {
        RetryPolicy policy = new RetryPolicy(3, 500, 2, 600_000);
        assertTrue(policy.retries(2, new PeerFailureException("PACS down", null)));
        assertFalse(policy.retries(3, new PeerFailureException("PACS down", null)));
        assertFalse(new RetryPolicy(1, 500, 2, 600_000).retries(1, new PeerFailureException("PACS down", null)));
    }
}
