package org.dicomweb.gateway.tasks;

import java.time.Instant;
import java.util.List;

/**
 * A task as its row holds it: the request, its state, and its counts. {@code remaining} is null while the number of
 * instances is not known yet. {@code method} says how it is delivered: {@code "store"} (through the gateway, each
 * instance sent to the destination as it arrives) or {@code "move"} (a C-MOVE from the source straight to the
 * destination). {@code reason} says why it failed, is retried or was canceled (one line), else null. {@code failures}
 * lists the failed instances (at most the first {@link #MAX_LISTED_FAILURES}).
 */
public record TaskView(TaskRequest request, TaskState state, String method, Instant createdAt, Instant updatedAt,
        Instant scheduledAt, Instant startedAt, Instant endedAt, int attempts, Integer remaining, int completed,
        int failed, int warning, String reason, List<FailedInstance> failures) {

    public static final int MAX_LISTED_FAILURES = 100;

    public TaskView {
        failures = List.copyOf(failures);
    }

    public String taskId() {
        return request.taskId();
    }
}
