package org.dicomweb.gateway.tasks;

import java.time.Instant;

/**
 * A page of {@code GET /tasks}: each filter may be null (any). {@code aet} matches the source or the destination;
 * {@code createdFrom}/{@code createdTo} bound the creation time (inclusive, exclusive). Newest first.
 */
public record TaskQuery(TaskState state, String batchId, String aet, Instant createdFrom, Instant createdTo,
        int offset, int limit) {
}
