package org.dicomweb.gateway.web.tasks;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.tasks.TaskQuery;
import org.dicomweb.gateway.tasks.TaskState;
import org.dicomweb.gateway.validation.Values;

/** The query parameters of {@code GET /tasks}, checked: a bad one is a 400 naming it. */
final class TaskFilters {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private TaskFilters() {
    }

    static TaskQuery query(String state, String batchId, String aet, String createdFrom, String createdTo,
            String offset, String limit) {
        return new TaskQuery(state(state), blankToNull(batchId), blankToNull(aet), instant("createdFrom", createdFrom),
                instant("createdTo", createdTo), number("offset", offset, 0, 0, Integer.MAX_VALUE),
                number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    private static TaskState state(String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return TaskState.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'state' is '" + Values.shorten(value) + "', not one of "
                    + Arrays.toString(TaskState.values()));
        }
    }

    private static Instant instant(String name, String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("'" + name + "' must be an ISO 8601 instant such as "
                    + "2026-12-01T18:00:00Z, not '" + Values.shorten(value) + "'");
        }
    }

    private static int number(String name, String value, int defaultValue, int min, int max) {
        if (blankToNull(value) == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw new InvalidRequestException("'" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + Values.shorten(value) + "'");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
