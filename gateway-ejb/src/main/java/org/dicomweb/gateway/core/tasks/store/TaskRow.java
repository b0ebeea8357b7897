package org.dicomweb.gateway.core.tasks.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A retrieval task's row (db/tasks V1): the truth about the task, whichever node runs it. */
@Entity
@Table(name = "task")
public class TaskRow {
    @Id
    @Column(name = "task_id")
    String taskId;
    @Column(name = "correlation_id")
    String correlationId;
    @Column(name = "batch_id")
    String batchId;
    int priority;
    @Column(name = "source_aet")
    String sourceAet;
    @Column(name = "destination_aet")
    String destinationAet;
    @Column(name = "request_json")
    String requestJson;
    String state;
    String method;
    @Column(name = "created_at")
    Instant createdAt;
    @Column(name = "updated_at")
    Instant updatedAt;
    @Column(name = "scheduled_at")
    Instant scheduledAt;
    @Column(name = "queued_at")
    Instant queuedAt;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "ended_at")
    Instant endedAt;
    int attempts;
    Integer remaining;
    int completed;
    int failed;
    int warning;
    String reason;
    String owner;
    @Column(name = "heartbeat_at")
    Instant heartbeatAt;
    @Column(name = "cancel_requested")
    boolean cancelRequested;
}
