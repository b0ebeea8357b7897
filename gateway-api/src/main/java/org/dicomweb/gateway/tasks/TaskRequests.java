package org.dicomweb.gateway.tasks;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.validation.JsonFields;
import org.dicomweb.gateway.validation.Uids;
import org.dicomweb.gateway.validation.Values;

/**
 * The task request JSON of docs/jobs.md (the same for JMS and {@code POST /tasks}), parsed once: every problem is an
 * {@link InvalidRequestException} naming the field. Unknown fields are refused too, so that a misspelt one (e.g.
 * {@code "destinaton"}) is not silently ignored.
 */
public final class TaskRequests {

    public static final int MAX_ID_LENGTH = 64;
    private static final Set<String> FIELDS = Set.of("taskId", "correlationId", "batchId", "priority", "source",
            "retrieve", "destination", "notBefore");
    private static final Set<String> RETRIEVE_FIELDS = Set.of("studies", "patientId", "accessionNumber");
    private static final Set<String> TARGET_FIELDS = Set.of("studyInstanceUid", "seriesInstanceUid",
            "sopInstanceUids");

    private TaskRequests() {
    }

    /** Parses a request body; a body that is not one JSON object is refused with the parser's reason. */
    public static TaskRequest parse(String body) {
        return parse(JsonFields.object(body, "the task request"));
    }

    public static TaskRequest parse(JsonObject json) {
        unknownFields(json, FIELDS, "");
        String taskId = optionalId(json, "taskId");
        return new TaskRequest(taskId != null ? taskId : UUID.randomUUID().toString(),
                optionalId(json, "correlationId"), optionalId(json, "batchId"), priority(json),
                requiredAet(json, "source"), selection(json), requiredAet(json, "destination"), notBefore(json));
    }

    private static TaskSelection selection(JsonObject json) {
        JsonObject retrieve = JsonFields.object(json, "retrieve", "");
        unknownFields(retrieve, RETRIEVE_FIELDS, "retrieve.");
        long given = RETRIEVE_FIELDS.stream().filter(retrieve::containsKey).count();
        if (given != 1) {
            throw new InvalidRequestException("'retrieve' must have exactly one of 'studies', 'patientId' and "
                    + "'accessionNumber' (it has " + given + ")");
        }
        if (retrieve.containsKey("patientId")) {
            return TaskSelection.patient(text(retrieve, "patientId", "retrieve.", 64));
        }
        if (retrieve.containsKey("accessionNumber")) {
            return TaskSelection.accession(text(retrieve, "accessionNumber", "retrieve.", 16));
        }
        JsonArray studies = JsonFields.array(retrieve, "studies", "retrieve.");
        if (studies.isEmpty()) {
            throw new InvalidRequestException("'retrieve.studies' is empty");
        }
        List<TaskTarget> targets = new ArrayList<>();
        for (int i = 0; i < studies.size(); i++) {
            targets.add(target(JsonFields.element(studies, i, "retrieve.studies"), "retrieve.studies[" + i + "]"));
        }
        return TaskSelection.of(targets);
    }

    private static TaskTarget target(JsonObject target, String where) {
        String prefix = where + ".";
        unknownFields(target, TARGET_FIELDS, prefix);
        String study = uid(target, "studyInstanceUid", prefix, true);
        String series = uid(target, "seriesInstanceUid", prefix, false);
        List<String> instances = new ArrayList<>();
        if (target.containsKey("sopInstanceUids")) {
            if (series == null) {
                throw new InvalidRequestException("'" + prefix + "sopInstanceUids' needs '" + prefix
                        + "seriesInstanceUid'");
            }
            JsonArray uids = JsonFields.array(target, "sopInstanceUids", prefix);
            if (uids.isEmpty()) {
                throw new InvalidRequestException("'" + prefix + "sopInstanceUids' is empty");
            }
            for (int i = 0; i < uids.size(); i++) {
                if (uids.get(i).getValueType() != JsonValue.ValueType.STRING) {
                    throw new InvalidRequestException("'" + prefix + "sopInstanceUids[" + i + "]' must be a string");
                }
                instances.add(Uids.require("'" + prefix + "sopInstanceUids[" + i + "]'",
                        ((JsonString) uids.get(i)).getString()));
            }
        }
        return new TaskTarget(study, series, instances);
    }

    private static int priority(JsonObject json) {
        if (!json.containsKey("priority") || json.isNull("priority")) {
            return TaskRequest.DEFAULT_PRIORITY;
        }
        JsonValue value = json.get("priority");
        if (!(value instanceof JsonNumber number) || !number.isIntegral() || number.intValue() < 0
                || number.intValue() > 9) {
            throw new InvalidRequestException("'priority' must be an integer from 0 to 9, not " + value);
        }
        return number.intValue();
    }

    private static Instant notBefore(JsonObject json) {
        if (!json.containsKey("notBefore") || json.isNull("notBefore")) {
            return null;
        }
        String value = text(json, "notBefore", "", 64);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("'notBefore' must be an ISO 8601 instant such as "
                    + "2026-12-01T18:00:00Z, not '" + Values.shorten(value) + "'");
        }
    }

    private static String requiredAet(JsonObject json, String field) {
        if (!json.containsKey(field) || json.isNull(field)) {
            throw new InvalidRequestException("'" + field + "' is missing: the name of a configured AE");
        }
        return text(json, field, "", 64);
    }

    private static String optionalId(JsonObject json, String field) {
        return json.containsKey(field) && !json.isNull(field) ? text(json, field, "", MAX_ID_LENGTH) : null;
    }

    private static String uid(JsonObject json, String field, String prefix, boolean required) {
        if (!json.containsKey(field) || json.isNull(field)) {
            if (required) {
                throw new InvalidRequestException("'" + prefix + field + "' is missing");
            }
            return null;
        }
        return Uids.require("'" + prefix + field + "'", text(json, field, prefix, Uids.MAX_LENGTH + 1));
    }

    private static String text(JsonObject json, String field, String prefix, int maxLength) {
        return JsonFields.string(json.get(field), prefix + field, maxLength);
    }

    private static void unknownFields(JsonObject json, Set<String> known, String prefix) {
        json.keySet().stream().filter(key -> !known.contains(key)).sorted().findFirst().ifPresent(key -> {
            throw new InvalidRequestException("unknown field '" + prefix + Values.shorten(key) + "' (known: "
                    + known.stream().sorted().toList() + ")");
        });
    }
}
