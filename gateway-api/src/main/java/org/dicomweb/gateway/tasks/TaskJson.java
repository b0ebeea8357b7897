package org.dicomweb.gateway.tasks;

import java.time.Instant;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * A task as JSON (docs/jobs.md): what {@code GET /tasks/{id}} answers and the task-ended event carries. The request
 * comes back in the same fields it was given in, so a client can resubmit it.
 */
public final class TaskJson {

    private TaskJson() {
    }

    public static JsonObject request(TaskRequest request) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("taskId", request.taskId());
        optional(json, "correlationId", request.correlationId());
        optional(json, "batchId", request.batchId());
        json.add("priority", request.priority()).add("source", request.source())
                .add("retrieve", selection(request.selection())).add("destination", request.destination());
        optional(json, "notBefore", request.notBefore());
        return json.build();
    }

    public static JsonObject task(TaskView task) {
        JsonObjectBuilder json = Json.createObjectBuilder(request(task.request()))
                .add("state", task.state().name());
        // (null until an attempt has chosen how to deliver: a task not run yet)
        if (task.method() != null) {
            json.add("method", task.method());
        } else {
            json.addNull("method");
        }
        optional(json, "createdAt", task.createdAt());
        optional(json, "updatedAt", task.updatedAt());
        optional(json, "scheduledAt", task.scheduledAt());
        optional(json, "startedAt", task.startedAt());
        optional(json, "endedAt", task.endedAt());
        json.add("attempts", task.attempts());
        if (task.remaining() != null) {
            json.add("remaining", task.remaining());
        } else {
            json.addNull("remaining");
        }
        json.add("completed", task.completed()).add("failed", task.failed()).add("warning", task.warning());
        optional(json, "reason", task.reason());
        JsonArrayBuilder failures = Json.createArrayBuilder();
        task.failures().forEach(failure -> failures.add(Json.createObjectBuilder()
                .add("sopInstanceUid", failure.sopInstanceUid()).add("reason", failure.reason())));
        return json.add("failures", failures).build();
    }

    private static JsonObject selection(TaskSelection selection) {
        if (selection.patientId() != null) {
            return Json.createObjectBuilder().add("patientId", selection.patientId()).build();
        }
        if (selection.accessionNumber() != null) {
            return Json.createObjectBuilder().add("accessionNumber", selection.accessionNumber()).build();
        }
        JsonArrayBuilder studies = Json.createArrayBuilder();
        for (TaskTarget target : selection.targets()) {
            JsonObjectBuilder study = Json.createObjectBuilder().add("studyInstanceUid", target.studyInstanceUid());
            optional(study, "seriesInstanceUid", target.seriesInstanceUid());
            if (!target.sopInstanceUids().isEmpty()) {
                study.add("sopInstanceUids", Json.createArrayBuilder(target.sopInstanceUids()));
            }
            studies.add(study);
        }
        return Json.createObjectBuilder().add("studies", studies).build();
    }

    private static void optional(JsonObjectBuilder json, String field, Object value) {
        if (value instanceof Instant instant) {
            json.add(field, instant.toString());
        } else if (value != null) {
            json.add(field, value.toString());
        }
    }
}
