package org.dicomweb.gateway.core.tasks.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskTarget;

/**
 * What a task's selection names at its source, by QIDO-RS through the source's own service: the studies of a
 * PatientID or AccessionNumber, and the instances of each target (for the count, and to tell what an earlier attempt
 * delivered). Searches are paged by {@code limit}/{@code offset}, since an AE caps the matches of one search.
 */
final class SourceSearch {

    private static final Logger LOG = Logger.getLogger(SourceSearch.class.getName());
    private static final String STUDY_INSTANCE_UID = "0020000D";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String PATIENT_ID = "00100020";
    private static final String ACCESSION_NUMBER = "00080050";
    /** RetrieveURL is not read here; the services want a base for it all the same. */
    private static final String NO_RETRIEVE_BASE = "urn:dicomweb-gateway:task";

    private final String aet;
    private final QidoService qido;
    private final int pageSize;

    SourceSearch(String aet, QidoService qido, int pageSize) {
        this.aet = aet;
        this.qido = qido;
        this.pageSize = pageSize;
    }

    /** The targets with what the source holds of each; NotFoundInPacsException when it holds nothing of one. */
    List<SourceTarget> targets(TaskSelection selection) {
        List<TaskTarget> asked = selection.targets().isEmpty() ? studiesOf(selection) : selection.targets();
        List<SourceTarget> found = new ArrayList<>();
        for (TaskTarget target : asked) {
            SourceTarget located = new SourceTarget(target, target.sopInstanceUids().isEmpty() ? instancesOf(target)
                    : target.sopInstanceUids());
            if (located.instances() != null && located.instances().isEmpty()) {
                throw new NotFoundInPacsException(aet + " has no instances of " + located.describe());
            }
            found.add(located);
        }
        return found;
    }

    private List<TaskTarget> studiesOf(TaskSelection selection) {
        boolean patient = selection.patientId() != null;
        String value = patient ? selection.patientId() : selection.accessionNumber();
        String tag = patient ? PATIENT_ID : ACCESSION_NUMBER;
        // A value with * or ? would match as a wildcard: only the studies whose value is the one asked are taken.
        List<String> studies = search(new QidoRequest(QidoResource.STUDIES, null, null,
                Map.of(patient ? "PatientID" : "AccessionNumber", List.of(value)), NO_RETRIEVE_BASE),
                STUDY_INSTANCE_UID, match -> {
                    String returned = value(match, tag);
                    return returned == null || returned.trim().equals(value.trim());
                });
        if (studies.isEmpty()) {
            throw new NotFoundInPacsException(aet + " has no study of " + selection.describe());
        }
        return studies.stream().map(TaskTarget::study).toList();
    }

    /** Null when the source cannot tell (an AE that does not search at instance level, a failed search). */
    private List<String> instancesOf(TaskTarget target) {
        QidoResource resource = target.seriesInstanceUid() == null ? QidoResource.STUDY_INSTANCES
                : QidoResource.STUDY_SERIES_INSTANCES;
        try {
            return search(new QidoRequest(resource, target.studyInstanceUid(), target.seriesInstanceUid(), Map.of(),
                    NO_RETRIEVE_BASE), SOP_INSTANCE_UID, match -> true);
        } catch (UnknownAeException e) {
            throw e;
        } catch (GatewayException e) {
            LOG.info(aet + ": the instances of " + (target.seriesInstanceUid() == null ? "study "
                    + target.studyInstanceUid() : "series " + target.seriesInstanceUid())
                    + " could not be counted, so the task's remaining count is unknown: " + e.getMessage());
            return null;
        }
    }

    /**
     * The distinct values of {@code tag} of the matches {@code taken}, over every page. A page shorter than asked is the last, unless its
     * AE warned that it capped it (an upstream with a lower limit of its own): then the next page is asked from where
     * it stopped.
     */
    private List<String> search(QidoRequest first, String tag, Predicate<JsonObject> taken) {
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (int offset = 0; ; ) {
            Map<String, List<String>> parameters = new LinkedHashMap<>(first.parameters());
            parameters.put("limit", List.of(String.valueOf(pageSize)));
            parameters.put("offset", List.of(String.valueOf(offset)));
            Page page = page(new QidoRequest(first.resource(), first.studyUid(), first.seriesUid(), parameters,
                    first.retrieveBaseUrl()));
            for (JsonValue match : page.matches()) {
                String value = value(match.asJsonObject(), tag);
                if (value != null && taken.test(match.asJsonObject())) {
                    values.add(value);
                }
            }
            offset += page.matches().size();
            if (page.matches().isEmpty() || page.matches().size() < pageSize && !page.capped()) {
                return List.copyOf(values);
            }
        }
    }

    private record Page(JsonArray matches, boolean capped) {
    }

    private Page page(QidoRequest request) {
        QidoResult result = Stages.await(qido.search(aet, request), aet + ": the search of " + what(request),
                QidoResult::abandon);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            result.writeTo(body);
        } catch (IOException e) {
            throw e.getCause() instanceof GatewayException failure ? failure
                    : new PeerFailureException(aet + ": the search of " + what(request) + " broke off: "
                            + e.getMessage(), e);
        }
        try (var reader = Json.createReader(new ByteArrayInputStream(body.toByteArray()))) {
            return new Page(reader.readArray(), !result.warnings().isEmpty());
        } catch (JsonException | IllegalStateException e) {
            throw new PeerFailureException(aet + ": the search of " + what(request) + " answered no JSON array: "
                    + e.getMessage(), e);
        }
    }

    private static String what(QidoRequest request) {
        return switch (request.resource()) {
            case STUDIES -> "studies " + request.parameters().keySet().stream().filter(k -> !k.equals("limit")
                    && !k.equals("offset")).map(k -> k + "=" + request.parameters().get(k).get(0)).toList();
            case STUDY_INSTANCES -> "the instances of study " + request.studyUid();
            default -> "the instances of series " + request.seriesUid();
        };
    }

    /** The first value of a DICOM JSON attribute, or null. */
    private static String value(JsonObject match, String tag) {
        JsonObject attribute = match.getJsonObject(tag);
        if (attribute == null || !(attribute.get("Value") instanceof JsonArray values) || values.isEmpty()) {
            return null;
        }
        return values.getString(0, null);
    }
}
