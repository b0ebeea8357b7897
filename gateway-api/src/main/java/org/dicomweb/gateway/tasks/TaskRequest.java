package org.dicomweb.gateway.tasks;

import java.time.Instant;

/**
 * "Fetch this from that AE, deliver it there", parsed once ({@link TaskRequests}) from a JMS message, {@code POST
 * /tasks} or an inference request. {@code taskId} is the idempotency key: a request repeating one is answered with the
 * existing task. {@code source} and {@code destination} are configured AE titles (never host:port); {@code notBefore}
 * may be null (as soon as possible); {@code priority} 0 (lowest) to 9, higher runs first.
 */
public record TaskRequest(String taskId, String correlationId, String batchId, int priority, String source,
        TaskSelection selection, String destination, Instant notBefore) {

    public static final int DEFAULT_PRIORITY = 4;
}
