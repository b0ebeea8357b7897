package org.dicomweb.gateway.backend.deidentify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.IntSupplier;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;

/**
 * QIDO-RS at a de-identifying AE, through its source: each match key the profile does not keep as it is (PatientID,
 * names, dates...) is refused with 400 naming it; UID keys and the UIDs in the path are mapped back to the originals
 * (a UID the AE never handed out matches nothing); includefield, limit, offset and fuzzymatching pass on as asked; the
 * source's matches come back de-identified ({@link DeidentifiedMatches}).
 */
final class DeidentifyingQido implements QidoService {

    /** The keys of the UID hierarchy a client may name by pseudonym (and must, since it knows no other). */
    private static final Set<AttributeTag> UID_KEYS = Set.of(TagFromName.StudyInstanceUID,
            TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID);

    private final Function<String, DeidentifiedAe> aes;
    private final BackendRegistry registry;
    private final UidMap uids;
    private final IntSupplier maxResults;

    DeidentifyingQido(Function<String, DeidentifiedAe> aes, BackendRegistry registry, UidMap uids,
            IntSupplier maxResults) {
        this.aes = aes;
        this.registry = registry;
        this.uids = uids;
        this.maxResults = maxResults;
    }

    @Override
    public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
        DeidentifiedAe ae = aes.apply(aet);
        QidoQuery query = QidoQuery.parse(request, maxResults.getAsInt());
        OriginalUids originals = new OriginalUids(ae, uids);
        Map<String, List<String>> parameters = new LinkedHashMap<>(request.parameters());
        boolean nothing = false;
        for (QidoQuery.MatchKey key : query.keys()) {
            if (key.universal()) {
                continue;
            }
            if (key.path().size() == 1 && UID_KEYS.contains(key.tag())) {
                List<String> mapped = key.values().stream().map(originals::of).flatMap(Optional::stream).toList();
                nothing |= mapped.isEmpty();
                parameters.put(key.parameter(), List.of(String.join(",", mapped)));
            } else {
                key.path().stream().filter(tag -> !ae.deidentification().matchable(tag)).findFirst()
                        .ifPresent(tag -> {
                            throw new InvalidRequestException("parameter '" + key.parameter() + "': " + aet
                                    + " is a de-identifying AE and does not match on " + name(tag)
                                    + ", which the profile removes or replaces");
                        });
            }
        }
        Optional<String> study = request.studyUid() == null ? Optional.of("") : originals.of(request.studyUid());
        Optional<String> series = request.seriesUid() == null ? Optional.of("") : originals.of(request.seriesUid());
        if (nothing || study.isEmpty() || series.isEmpty()) {
            return CompletableFuture.completedFuture(DeidentifiedMatches.NONE);
        }
        QidoRequest original = new QidoRequest(request.resource(), request.studyUid() == null ? null : study.get(),
                request.seriesUid() == null ? null : series.get(), parameters, request.retrieveBaseUrl());
        List<String> warnings = new ArrayList<>(query.warnings());
        return registry.backend(ae.source()).services().qido().search(ae.source(), original)
                .thenApply(result -> new DeidentifiedMatches(result, ae, uids, request, warnings));
    }

    private static String name(AttributeTag tag) {
        String keyword = DicomDictionary.StandardDictionary.getNameFromTag(tag);
        return (keyword == null ? "" : keyword + " ") + tag;
    }
}
