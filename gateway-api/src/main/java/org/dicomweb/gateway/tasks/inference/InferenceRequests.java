package org.dicomweb.gateway.tasks.inference;

import static org.dicomweb.gateway.validation.JsonFields.array;
import static org.dicomweb.gateway.validation.JsonFields.element;
import static org.dicomweb.gateway.validation.JsonFields.object;
import static org.dicomweb.gateway.validation.JsonFields.string;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskRequests;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskTarget;
import org.dicomweb.gateway.validation.Uids;
import org.dicomweb.gateway.validation.Values;

/**
 * The mapping of an ACR DSI inference request, in the shape MONAI's Informatics Gateway accepts on {@code POST
 * /inference}, onto retrieval tasks (docs/jobs.md, "Inference requests", lists the fields taken and those ignored).
 * The source is the one DICOMweb or DIMSE input resource, whose connection must name a configured AE: the gateway
 * never connects to a URI or host given in a request. Each output resource is a destination AE; each (output,
 * selection) pair is one task, with taskId {@code <transactionID>-<n>} (n from 1, outputs in order, then selections),
 * so that a repeated request maps onto the same tasks and is answered with them. Fields the gateway has no use for
 * (an {@code Algorithm} input, {@code operations}, {@code authType}...) are ignored, as MONAI ignores unknown ones.
 */
public final class InferenceRequests {

    /** Room for "-" and a task number of up to three digits within {@link TaskRequests#MAX_ID_LENGTH}. */
    public static final int MAX_TRANSACTION_ID_LENGTH = TaskRequests.MAX_ID_LENGTH - 4;
    public static final int MAX_TASKS = 100;
    /** ACR DSI / MONAI priorities run 0-255 (default 128); tasks' 0-9. */
    private static final int DSI_MAX_PRIORITY = 255;
    private static final int AE_MAX_LENGTH = 64;

    private InferenceRequests() {
    }

    public static InferenceRequest parse(String body) {
        return parse(object(body, "the inference request"));
    }

    public static InferenceRequest parse(JsonObject json) {
        String transactionId = text(json, "transactionID", MAX_TRANSACTION_ID_LENGTH);
        int priority = priority(json);
        List<TaskSelection> selections = selections(object(json, "inputMetadata", ""));
        String source = source(array(json, "inputResources", ""));
        List<String> destinations = destinations(array(json, "outputResources", ""));
        int count = selections.size() * destinations.size();
        if (count > MAX_TASKS) {
            throw new InvalidRequestException("the inference request maps onto " + count + " tasks ("
                    + destinations.size() + " outputResources x " + selections.size() + " inputs), more than "
                    + MAX_TASKS);
        }
        List<TaskRequest> tasks = new ArrayList<>();
        for (String destination : destinations) {
            for (TaskSelection selection : selections) {
                tasks.add(new TaskRequest(transactionId + "-" + (tasks.size() + 1), transactionId, transactionId,
                        priority, source, selection, destination, null));
            }
        }
        return new InferenceRequest(transactionId, tasks);
    }

    /** 0-255 onto 0-9, so that DSI's default 128 is the tasks' default 4 and 255 (immediate) is 9. */
    private static int priority(JsonObject json) {
        JsonValue value = json.get("priority");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return TaskRequest.DEFAULT_PRIORITY;
        }
        Integer dsi = null;
        if (value instanceof JsonNumber number && number.isIntegral()) {
            dsi = number.intValue();
        } else if (value instanceof JsonString string && string.getString().strip().matches("\\d{1,3}")) {
            dsi = Integer.valueOf(string.getString().strip()); // MONAI's own example sends "255"
        }
        if (dsi == null || dsi > DSI_MAX_PRIORITY) {
            throw new InvalidRequestException("'priority' must be an integer from 0 to 255, not " + value);
        }
        return dsi * 9 / DSI_MAX_PRIORITY;
    }

    /** {@code details} and MONAI's {@code inputs} extension together: one selection each, one per AccessionNumber. */
    private static List<TaskSelection> selections(JsonObject metadata) {
        List<JsonObject> details = new ArrayList<>();
        if (metadata.containsKey("details") && !metadata.isNull("details")) {
            details.add(object(metadata, "details", "inputMetadata."));
        }
        if (metadata.containsKey("inputs") && !metadata.isNull("inputs")) {
            JsonArray inputs = array(metadata, "inputs", "inputMetadata.");
            for (int i = 0; i < inputs.size(); i++) {
                details.add(element(inputs, i, "inputMetadata.inputs"));
            }
        }
        if (details.isEmpty()) {
            throw new InvalidRequestException("'inputMetadata' has neither 'details' nor 'inputs': nothing to fetch");
        }
        List<TaskSelection> selections = new ArrayList<>();
        List<TaskTarget> targets = new ArrayList<>();
        for (JsonObject detail : details) {
            String type = text(detail, "type", "inputMetadata.details.", 32);
            switch (type) {
                case "DICOM_UID" -> targets.addAll(targets(array(detail, "studies", "inputMetadata.details.")));
                case "DICOM_PATIENT_ID" -> selections.add(TaskSelection.patient(
                        text(detail, "PatientID", "inputMetadata.details.", 64)));
                case "ACCESSION_NUMBER" -> {
                    JsonArray numbers = array(detail, "accessionNumber", "inputMetadata.details.");
                    if (numbers.isEmpty()) {
                        throw new InvalidRequestException("'inputMetadata.details.accessionNumber' is empty");
                    }
                    for (int i = 0; i < numbers.size(); i++) {
                        selections.add(TaskSelection.accession(string(numbers.get(i),
                                "inputMetadata.details.accessionNumber[" + i + "]", 16)));
                    }
                }
                default -> throw new InvalidRequestException("'inputMetadata.details.type' " + Values.shorten(type)
                        + " is not taken: DICOM_UID, DICOM_PATIENT_ID or ACCESSION_NUMBER (FHIR_RESOURCE is not)");
            }
        }
        if (!targets.isEmpty()) {
            selections.add(0, TaskSelection.of(targets));
        }
        return selections;
    }

    /** studies [{StudyInstanceUID, series: [{SeriesInstanceUID, instances: [{SOPInstanceUID: [...]}]}]}]. */
    private static List<TaskTarget> targets(JsonArray studies) {
        if (studies.isEmpty()) {
            throw new InvalidRequestException("'inputMetadata.details.studies' is empty");
        }
        List<TaskTarget> targets = new ArrayList<>();
        for (int i = 0; i < studies.size(); i++) {
            String where = "inputMetadata.details.studies[" + i + "].";
            JsonObject study = element(studies, i, "inputMetadata.details.studies");
            String studyUid = uid(study, "StudyInstanceUID", where);
            JsonArray series = study.containsKey("series") && !study.isNull("series")
                    ? array(study, "series", where) : JsonValue.EMPTY_JSON_ARRAY;
            if (series.isEmpty()) {
                targets.add(TaskTarget.study(studyUid));
                continue;
            }
            for (int j = 0; j < series.size(); j++) {
                String seriesWhere = where + "series[" + j + "].";
                JsonObject one = element(series, j, where + "series");
                targets.add(new TaskTarget(studyUid, uid(one, "SeriesInstanceUID", seriesWhere),
                        instances(one, seriesWhere)));
            }
        }
        return targets;
    }

    /** instances: [{SOPInstanceUID: [uid...]}, ...] flattened; none (or empty) is the whole series. */
    private static List<String> instances(JsonObject series, String where) {
        List<String> uids = new ArrayList<>();
        if (!series.containsKey("instances") || series.isNull("instances")) {
            return uids;
        }
        JsonArray instances = array(series, "instances", where);
        for (int i = 0; i < instances.size(); i++) {
            String instanceWhere = where + "instances[" + i + "].";
            JsonArray sops = array(element(instances, i, where + "instances"), "SOPInstanceUID", instanceWhere);
            if (sops.isEmpty()) {
                throw new InvalidRequestException("'" + instanceWhere + "SOPInstanceUID' is empty");
            }
            for (int k = 0; k < sops.size(); k++) {
                String what = "'" + instanceWhere + "SOPInstanceUID[" + k + "]'";
                uids.add(Uids.require(what, string(sops.get(k), instanceWhere + "SOPInstanceUID[" + k + "]",
                        Uids.MAX_LENGTH + 1)));
            }
        }
        return uids;
    }

    /** The one DICOMweb or DIMSE input resource (Algorithm ones are MONAI's and ignored); it must name an AE. */
    private static String source(JsonArray resources) {
        Map<Integer, JsonObject> sources = new LinkedHashMap<>();
        for (int i = 0; i < resources.size(); i++) {
            JsonObject resource = element(resources, i, "inputResources");
            String type = text(resource, "interface", "inputResources[" + i + "].", 32);
            switch (type) {
                case "Algorithm" -> {
                    // MONAI's application to trigger: the gateway retrieves and delivers, it runs no algorithm
                }
                case "DICOMweb", "DIMSE" -> sources.put(i, resource);
                default -> throw new InvalidRequestException("'inputResources[" + i + "].interface' "
                        + Values.shorten(type) + " is not taken: DICOMweb or DIMSE (or Algorithm, ignored)");
            }
        }
        if (sources.size() != 1) {
            throw new InvalidRequestException("'inputResources' must have exactly one DICOMweb or DIMSE resource, "
                    + "the source (it has " + sources.size() + ")");
        }
        Map.Entry<Integer, JsonObject> source = sources.entrySet().iterator().next();
        return aeName(source.getValue(), "inputResources[" + source.getKey() + "]");
    }

    private static List<String> destinations(JsonArray resources) {
        if (resources.isEmpty()) {
            throw new InvalidRequestException("'outputResources' is empty: no destination to deliver to");
        }
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            String where = "outputResources[" + i + "]";
            JsonObject resource = element(resources, i, "outputResources");
            String type = text(resource, "interface", where + ".", 32);
            if (!type.equals("DICOMweb") && !type.equals("DIMSE")) {
                throw new InvalidRequestException("'" + where + ".interface' " + Values.shorten(type)
                        + " is not taken: DICOMweb or DIMSE");
            }
            destinations.add(aeName(resource, where));
        }
        return destinations;
    }

    /**
     * The configured AE a resource's {@code connectionDetails} names ({@code name}, or {@code aeTitle}); a connection
     * given only by {@code uri} (or host and port) is refused: the gateway connects only to the peers it is configured
     * with, so a request cannot make it open a connection anywhere.
     */
    private static String aeName(JsonObject resource, String where) {
        JsonObject connection = object(resource, "connectionDetails", where + ".");
        String prefix = where + ".connectionDetails.";
        for (String field : List.of("name", "aeTitle")) {
            if (connection.containsKey(field) && !connection.isNull(field)) {
                return text(connection, field, prefix, AE_MAX_LENGTH);
            }
        }
        List<String> given = connection.keySet().stream().sorted().toList();
        throw new InvalidRequestException("'" + prefix + "name' is missing: it must name a configured AE; the "
                + "gateway never connects to a URI or host:port from a request (given: " + given + ")");
    }

    private static String uid(JsonObject json, String field, String prefix) {
        return Uids.require("'" + prefix + field + "'", text(json, field, prefix, Uids.MAX_LENGTH + 1));
    }

    private static String text(JsonObject json, String field, int maxLength) {
        return text(json, field, "", maxLength);
    }

    private static String text(JsonObject json, String field, String prefix, int maxLength) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidRequestException("'" + prefix + field + "' is missing");
        }
        return string(value, prefix + field, maxLength);
    }

}
