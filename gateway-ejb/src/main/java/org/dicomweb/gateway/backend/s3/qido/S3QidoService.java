package org.dicomweb.gateway.backend.s3.qido;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniversalResourceAttribute;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.Candidate;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.core.qido.QidoMatcher;
import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;

/**
 * QIDO-RS over the index: the query parsed by the core ({@link QidoQuery}), candidates read from the database page by
 * page in row order, narrowed in SQL where SQL can judge a key (index.SearchFilter), matched by the core's
 * {@link QidoMatcher} (PS3.4 C.2.2.2, docs/conformance.md), offset and limit counted over the matches. A key on an
 * attribute the index does not hold is a 400 naming it (it could match nothing); an includefield of one is answered
 * without it, with a Warning.
 */
public final class S3QidoService implements QidoService {

    /** The most candidates read at once: bounds the rows decoded per round trip. */
    private static final int MAX_PAGE = 500;

    private final S3Buckets buckets;
    private final InstanceIndex index;

    public S3QidoService(S3Buckets buckets, InstanceIndex index) {
        this.buckets = buckets;
        this.index = index;
    }

    @Override
    public CompletionStage<QidoResult> search(String aet, QidoRequest request) {
        buckets.of(aet);
        QidoQuery query = QidoQuery.parse(request, buckets.gateway().qidoMaxResults());
        QidoMatcher matcher = new QidoMatcher(query);
        QueryLevel level = query.resource().level();
        List<String> warnings = new ArrayList<>(query.warnings());
        warnings.addAll(matcher.warnings());
        Set<AttributeTag> returned = new LinkedHashSet<>(ReturnKeys.defaults(level));
        if (query.includeAll()) {
            returned.addAll(ReturnKeys.all(level));
        }
        for (QidoQuery.MatchKey key : query.keys()) {
            AttributeTag top = key.path().get(0);
            if (!InstanceIndex.holds(level, top)) {
                if (!key.universal()) {
                    throw new InvalidRequestException("parameter '" + key.parameter() + "': AE " + aet
                            + " (an S3 index) does not hold " + top + " at this level, so nothing could match it");
                }
                // the attribute, not the parameter: for includefield=X the parameter is "includefield"
                String name = AttributeList.getDictionary().getNameFromTag(top);
                warnings.add("'" + (name == null ? top : name) + "' is not in the S3 index of " + aet
                        + " and is not returned");
                continue;
            }
            returned.add(top);
        }
        return buckets.run(aet, "a search", () -> {
            List<AttributeList> matches = new ArrayList<>();
            int skip = query.offset();
            long after = 0;
            // SQL usually narrows to the matches themselves, so the first page is as many as the answer needs;
            // pages grow when the matcher turns candidates down (keys SQL cannot judge).
            int size = (int) Math.max(1, Math.min(MAX_PAGE, (long) query.offset() + query.limit()));
            while (matches.size() < query.limit()) {
                List<Candidate> page = index.searchPage(aet, query, after, size);
                for (Candidate candidate : page) {
                    after = candidate.pk();
                    if (matches.size() < query.limit() && matcher.matches(candidate.attributes()) && skip-- <= 0) {
                        matches.add(answer(candidate.attributes(), returned, level, request.retrieveBaseUrl()));
                    }
                }
                if (page.size() < size) {
                    break;
                }
                size = Math.min(MAX_PAGE, size * 2);
            }
            return new Matches(matches, warnings);
        });
    }

    /** The return keys of a match, and its RetrieveURL. */
    private static AttributeList answer(AttributeList attributes, Set<AttributeTag> returned, QueryLevel level,
            String retrieveBase) {
        AttributeList answer = new AttributeList();
        Attribute charset = attributes.get(TagFromName.SpecificCharacterSet);
        if (charset != null) {
            answer.put(charset);
        }
        for (AttributeTag tag : returned) {
            Attribute attribute = attributes.get(tag);
            if (attribute != null) {
                answer.put(attribute);
            }
        }
        StringBuilder url = new StringBuilder(retrieveBase).append("/studies/")
                .append(Attribute.getSingleStringValueOrEmptyString(attributes, TagFromName.StudyInstanceUID));
        if (level != QueryLevel.STUDY) {
            url.append("/series/").append(Attribute.getSingleStringValueOrEmptyString(attributes,
                    TagFromName.SeriesInstanceUID));
        }
        if (level == QueryLevel.IMAGE) {
            url.append("/instances/").append(Attribute.getSingleStringValueOrEmptyString(attributes,
                    TagFromName.SOPInstanceUID));
        }
        try {
            Attribute retrieveUrl = new UniversalResourceAttribute(ReturnKeys.RETRIEVE_URL);
            retrieveUrl.addValue(url.toString());
            answer.put(retrieveUrl);
        } catch (DicomException e) {
            throw new IllegalStateException("cannot build RetrieveURL " + url, e);
        }
        return answer;
    }

    /** At most limit matches, collected before the answer starts (the database is not held while it is written). */
    private record Matches(List<AttributeList> matches, List<String> warnings) implements QidoResult {
        @Override
        public boolean hasMatches() {
            return !matches.isEmpty();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try {
                JsonGenerator json = DicomJson.generator(out);
                json.writeStartArray();
                for (AttributeList match : matches) {
                    DicomJson.writeObject(json, match);
                }
                json.writeEnd();
                json.flush();
            } catch (JsonException clientGone) {
                throw new IOException("client went away while matches were written", clientGone);
            }
        }

        @Override
        public void abandon() {
            // nothing held
        }
    }
}
