package org.dicomweb.gateway.backend.deidentify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniversalResourceAttribute;

import org.dicomweb.gateway.core.deid.BurnedInAnnotationRefused;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResult;

/**
 * A source's QIDO-RS matches de-identified: the page is read whole (limit caps it, gateway.qido.max-results), each
 * match de-identified as an instance would be, RetrieveURL made anew from the pseudonyms under this AE, and the UIDs
 * handed out recorded in the {@link UidMap} in one batch before anything is written, so a client can use them at once.
 * A match the profile refuses (an instance that may carry burned-in annotation) is left out.
 */
final class DeidentifiedMatches implements QidoResult {

    /** No match: a UID the AE never handed out. */
    static final QidoResult NONE = new QidoResult() {
        @Override
        public boolean hasMatches() {
            return false;
        }

        @Override
        public List<String> warnings() {
            return List.of();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(new byte[] {'[', ']'});
        }

        @Override
        public void abandon() {
        }
    };

    private final QidoResult source;
    private final DeidentifiedAe ae;
    private final UidMap uids;
    private final QidoRequest request;
    private final List<String> warnings;

    DeidentifiedMatches(QidoResult source, DeidentifiedAe ae, UidMap uids, QidoRequest request,
            List<String> warnings) {
        this.source = source;
        this.ae = ae;
        this.uids = uids;
        this.request = request;
        warnings.addAll(source.warnings());
        this.warnings = List.copyOf(warnings.stream().distinct().toList());
    }

    @Override
    public boolean hasMatches() {
        return source.hasMatches();
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        source.writeTo(page);
        JsonArray matches;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(page.toByteArray()))) {
            matches = reader.readArray();
        } catch (JsonException | IllegalStateException e) {
            throw new IOException(ae.source() + " answered no JSON array: " + e.getMessage(), e);
        }
        Map<String, String> handedOut = new LinkedHashMap<>();
        List<AttributeList> deidentified = new ArrayList<>();
        for (JsonValue match : matches) {
            try {
                AttributeList list = DicomJsonReader.read(match.asJsonObject());
                boolean hadRetrieveUrl = list.remove(ReturnKeys.RETRIEVE_URL) != null;
                Map<String, String> originals = hierarchy(list);
                ae.deidentification().apply(list);
                originals.forEach((tag, original) -> handedOut.put(ae.deidentification().uid(original), original));
                if (hadRetrieveUrl) {
                    Attribute url = new UniversalResourceAttribute(ReturnKeys.RETRIEVE_URL);
                    url.addValue(retrieveUrl(list));
                    list.put(url);
                }
                deidentified.add(list);
            } catch (BurnedInAnnotationRefused refused) {
                // left out: this AE does not show it at all
            } catch (DicomException | RuntimeException e) {
                throw new IOException(ae.source() + " answered a match that is not DICOM JSON: " + e.getMessage(), e);
            }
        }
        uids.record(ae.aet(), handedOut);
        try {
            JsonGenerator json = DicomJson.generator(out);
            json.writeStartArray();
            for (AttributeList list : deidentified) {
                DicomJson.writeObject(json, list);
            }
            json.writeEnd();
            json.flush();
        } catch (JsonException clientGone) {
            throw new IOException("client went away while matches were written", clientGone);
        }
    }

    /** The study, series and instance UIDs a match has (as the source knows them). */
    private static Map<String, String> hierarchy(AttributeList list) {
        Map<String, String> originals = new LinkedHashMap<>();
        for (AttributeTag tag : List.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
                TagFromName.SOPInstanceUID)) {
            String uid = Attribute.getSingleStringValueOrEmptyString(list, tag);
            if (!uid.isEmpty()) {
                originals.put(tag.toString(), uid);
            }
        }
        return originals;
    }

    /** The resource of the match's level at this AE, by pseudonyms (PS3.18 §10.6.3.3.1). */
    private String retrieveUrl(AttributeList list) {
        StringBuilder url = new StringBuilder(request.retrieveBaseUrl()).append("/studies/")
                .append(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.StudyInstanceUID));
        switch (request.resource().level()) {
            case STUDY -> { }
            case SERIES -> url.append("/series/")
                    .append(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID));
            default -> url.append("/series/")
                    .append(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID))
                    .append("/instances/")
                    .append(Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID));
        }
        return url.toString();
    }

    @Override
    public void abandon() {
        source.abandon();
    }
}
