package org.dicomweb.gateway.core.wado;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * How many instances each series of a study (or one series) has at the PACS now, asked through the backend's own QIDO
 * service, so that the check stays backend-neutral: one series-level search with NumberOfSeriesRelatedInstances
 * (0020,1209), one C-FIND for a DIMSE AE. A PACS that leaves that attribute out of some match (it is optional for a
 * C-FIND SCP) is asked again at instance level, and the matches of each series counted: that census is exact only
 * below gateway.qido.max-results, so it is never acknowledged for a copy (see {@link CachedStudy#acknowledge}); a
 * count it caps differs from the copy's, and the copy is then taken for stale, which is safe.
 *
 * @param counts    instances by series UID
 * @param counted   whether the PACS gave the counts itself (else they are matches counted)
 * @param takenAtMs when the search was sent
 */
public record StudyCensus(Map<String, Integer> counts, boolean counted, long takenAtMs) {

    private static final String SERIES_UID = "0020000E";
    private static final String SERIES_INSTANCES = "00201209";
    /** One factory: each Json.createReader looks its provider up again, a scan of the deployment's jars. */
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    /** The census of the study {@code scope} names, or of its series if it names one. */
    public static CompletionStage<StudyCensus> take(QidoService qido, String aet, WadoRequest scope,
            Executor executor) {
        long takenAt = System.currentTimeMillis();
        Map<String, List<String>> parameters = new HashMap<>();
        parameters.put("includefield", List.of(SERIES_INSTANCES));
        if (scope.seriesUid() != null) {
            parameters.put(SERIES_UID, List.of(scope.seriesUid()));
        }
        return search(qido, aet, new QidoRequest(QidoResource.STUDY_SERIES, scope.studyUid(), null, parameters, ""),
                executor).thenCompose(series -> {
                    Map<String, Integer> counts = new HashMap<>();
                    for (JsonValue match : series) {
                        Optional<Integer> count = integer(match.asJsonObject(), SERIES_INSTANCES);
                        if (count.isEmpty()) {
                            return countInstances(qido, aet, scope, takenAt, executor);
                        }
                        counts.put(seriesUid(match.asJsonObject()), count.get());
                    }
                    return CompletableFuture.completedFuture(new StudyCensus(counts, true, takenAt));
                });
    }

    /** Whether the copy holds what the PACS has for {@code scope}: the same series, each with the same count. */
    public boolean matches(CachedStudy copy, WadoRequest scope, boolean acknowledgedCounts) {
        if (scope.seriesUid() == null && !copy.seriesUids().equals(counts.keySet())) {
            return false;
        }
        if (counts.isEmpty()) {
            return false; // the series asked is gone at the PACS (or the study is): let the PACS answer
        }
        return counts.entrySet().stream().allMatch(series -> series.getValue() == (acknowledgedCounts
                ? copy.expectedCount(series.getKey()) : copy.cachedCount(series.getKey())));
    }

    /** Records the counts for the copy retrieved after this census, if the PACS gave them itself. */
    public void acknowledgeFor(CachedStudy copy) {
        if (counted) {
            copy.acknowledge(counts, takenAtMs);
        }
    }

    private static CompletionStage<StudyCensus> countInstances(QidoService qido, String aet, WadoRequest scope,
            long takenAt, Executor executor) {
        Map<String, List<String>> parameters = new HashMap<>();
        parameters.put("includefield", List.of(SERIES_UID));
        QidoRequest request = scope.seriesUid() == null
                ? new QidoRequest(QidoResource.STUDY_INSTANCES, scope.studyUid(), null, parameters, "")
                : new QidoRequest(QidoResource.STUDY_SERIES_INSTANCES, scope.studyUid(), scope.seriesUid(),
                        parameters, "");
        return search(qido, aet, request, executor).thenApply(instances -> {
            Map<String, Integer> counts = new HashMap<>();
            for (JsonValue match : instances) {
                String series = scope.seriesUid() != null ? scope.seriesUid() : seriesUid(match.asJsonObject());
                counts.merge(series, 1, Integer::sum);
            }
            return new StudyCensus(counts, false, takenAt);
        });
    }

    /**
     * The matches of a search, read whole (one small object per series, or per instance when counted), on
     * {@code executor}: never on the thread that completed the search, which may be the one holding its association.
     */
    private static CompletionStage<JsonArray> search(QidoService qido, String aet, QidoRequest request,
            Executor executor) {
        try {
            return qido.search(aet, request).thenApplyAsync(StudyCensus::read, executor);
        } catch (RuntimeException refusedAtOnce) {
            return CompletableFuture.failedFuture(refusedAtOnce); // callers holding a lease see it as a failed census
        }
    }

    private static JsonArray read(QidoResult result) {
        if (!result.hasMatches()) {
            result.abandon();
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            result.writeTo(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the census search failed midway: " + e.getMessage(), e);
        }
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body.toByteArray()))) {
            return reader.readArray();
        }
    }

    private static String seriesUid(JsonObject match) {
        return ((JsonString) match.getJsonObject(SERIES_UID).getJsonArray("Value").get(0)).getString();
    }

    /** An IS value: a JSON number, or a string a PACS (or a proxy) may have written. */
    private static Optional<Integer> integer(JsonObject match, String tag) {
        JsonObject attribute = match.getJsonObject(tag);
        if (attribute == null || !attribute.containsKey("Value") || attribute.getJsonArray("Value").isEmpty()) {
            return Optional.empty();
        }
        JsonValue value = attribute.getJsonArray("Value").get(0);
        try {
            return Optional.of(value.getValueType() == JsonValue.ValueType.NUMBER
                    ? ((JsonNumber) value).intValueExact()
                    : Integer.parseInt(((JsonString) value).getString().trim()));
        } catch (RuntimeException notACount) {
            return Optional.empty();
        }
    }
}
