package org.dicomweb.gateway.core.tasks.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.tasks.TaskJson;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskRequests;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskState;
import org.dicomweb.gateway.tasks.TaskView;

/** Rows from requests and views from rows. */
final class TaskRows {

    /** The longest reason the column holds. */
    static final int REASON_LENGTH = 1024;

    private TaskRows() {
    }

    /** A new SCHEDULED row for a request, due at its notBefore (or now), its message sent now. */
    static TaskRow scheduled(TaskRequest request, Instant now) {
        TaskRow row = base(request.taskId(), request.correlationId(), now);
        row.batchId = request.batchId();
        row.priority = request.priority();
        row.sourceAet = request.source();
        row.destinationAet = request.destination();
        row.requestJson = TaskJson.request(request).toString();
        row.state = TaskState.SCHEDULED.name();
        Instant notBefore = request.notBefore() == null ? null : request.notBefore().truncatedTo(ChronoUnit.MICROS);
        row.scheduledAt = notBefore != null && notBefore.isAfter(now) ? notBefore : now;
        row.queuedAt = now;
        return row;
    }

    /** A FAILED row for a request that was refused: its body as sent, and why. */
    static TaskRow refused(String taskId, String correlationId, String body, String reason, Instant now) {
        TaskRow row = base(taskId, correlationId, now);
        row.priority = TaskRequest.DEFAULT_PRIORITY;
        row.requestJson = body == null ? "" : body;
        row.state = TaskState.FAILED.name();
        row.scheduledAt = now;
        row.endedAt = now;
        row.reason = reason(reason);
        return row;
    }

    private static TaskRow base(String taskId, String correlationId, Instant now) {
        TaskRow row = new TaskRow();
        row.taskId = taskId;
        row.correlationId = correlationId;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    static TaskView view(TaskRow row, List<FailedInstance> failures) {
        return new TaskView(request(row), TaskState.valueOf(row.state), row.method, row.createdAt, row.updatedAt,
                row.scheduledAt, row.startedAt, row.endedAt, row.attempts, row.remaining, row.completed, row.failed,
                row.warning, row.reason, failures);
    }

    /**
     * The request the row was made from; a refused request's body may not be one, so its view names what the row
     * has (empty AEs and selection where it has none).
     */
    private static TaskRequest request(TaskRow row) {
        try {
            TaskRequest parsed = TaskRequests.parse(row.requestJson);
            // a refused body without a taskId was given one when it was recorded
            return parsed.taskId().equals(row.taskId) ? parsed : new TaskRequest(row.taskId, row.correlationId,
                    parsed.batchId(), parsed.priority(), parsed.source(), parsed.selection(), parsed.destination(),
                    parsed.notBefore());
        } catch (RuntimeException e) {
            // not a request (a body that was refused as no JSON, or an empty one): any parser failure
            return new TaskRequest(row.taskId, row.correlationId, row.batchId, row.priority,
                    row.sourceAet == null ? "" : row.sourceAet, TaskSelection.of(List.of()),
                    row.destinationAet == null ? "" : row.destinationAet, null);
        }
    }

    /** One line, at most the column's length. */
    static String reason(String reason) {
        if (reason == null) {
            return null;
        }
        String line = reason.lines().findFirst().orElse("");
        return line.length() <= REASON_LENGTH ? line : line.substring(0, REASON_LENGTH - 3) + "...";
    }
}
