package org.dicomweb.gateway.core.qido;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.ValueRepresentation;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.validation.Values;

/**
 * A QIDO-RS search (PS3.18 §8.3.4, §10.6) parsed once per request, for any backend: the resource, the UIDs in its
 * path, the keys (attribute matching and includefield, by keyword, tag or sequence path), fuzzymatching, limit and
 * offset. Every bad parameter is a 400 naming it; match values are checked against their VR by {@link MatchValues}.
 *
 * @param keys       in the order the client first named each attribute; a parameter overrides an includefield of
 *                   the same attribute, never the other way round
 * @param includeAll {@code includefield=all}
 * @param limit      the client's limit, capped at the gateway's maximum (then {@code warnings} says so)
 */
public record QidoQuery(QidoResource resource, String studyUid, String seriesUid, List<MatchKey> keys,
        boolean includeAll, boolean fuzzyMatching, int limit, int offset, List<String> warnings) {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    /**
     * One key: {@code path} is one tag, or more for an attribute inside sequences ({@code 00081111.00081150}).
     * {@code value} is as the client gave it; empty for universal matching (a return key, PS3.4 C.2.2.2.3), which is
     * what an includefield attribute is. {@code vr} is the last tag's VR in PixelMed's dictionary.
     */
    public record MatchKey(String parameter, List<AttributeTag> path, String vr, String value) {

        public AttributeTag tag() {
            return path.get(path.size() - 1);
        }

        public boolean universal() {
            return value.isEmpty();
        }

        /** The values of a key: a UID list (PS3.18 §8.3.4.1: commas, or backslashes as in C-FIND), else by backslash. */
        public List<String> values() {
            return List.of(value.split(vr.equals("UI") ? "[,\\\\]" : "\\\\", -1));
        }
    }

    /** @param maxResults the most matches a request may ask for (gateway.qido.max-results) */
    public static QidoQuery parse(QidoRequest request, int maxResults) {
        Integer limit = null;
        int offset = 0;
        boolean includeAll = false;
        boolean fuzzyMatching = false;
        Map<String, MatchKey> keys = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : request.parameters().entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            switch (name) {
                case "limit" -> limit = nonNegative(name, single(name, values));
                case "offset" -> offset = nonNegative(name, single(name, values));
                case "fuzzymatching" -> fuzzyMatching = booleanValue(name, single(name, values));
                case "includefield" -> {
                    for (String value : values) {
                        for (String field : value.split(",")) {
                            if (field.trim().equals("all")) {
                                includeAll = true;
                            } else {
                                MatchKey key = key(name, path(name, field.trim()), "");
                                keys.putIfAbsent(key.path().toString(), key);
                            }
                        }
                    }
                }
                default -> {
                    MatchKey key = key(name, path(name, name), single(name, values));
                    keys.put(key.path().toString(), key);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        if (limit == null || limit > maxResults) {
            warnings.add("results are limited to " + maxResults + " per request; use limit and offset to page");
            limit = maxResults;
        }
        return new QidoQuery(request.resource(), request.studyUid(), request.seriesUid(), List.copyOf(keys.values()),
                includeAll, fuzzyMatching, limit, offset, List.copyOf(warnings));
    }

    /** keyword, tag (ggggeeee) or a dotted path of them into sequences */
    private static List<AttributeTag> path(String parameter, String attributeId) {
        List<AttributeTag> path = new ArrayList<>();
        String[] parts = attributeId.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            AttributeTag tag = TAG.matcher(parts[i]).matches()
                    ? new AttributeTag(Integer.parseInt(parts[i].substring(0, 4), 16),
                            Integer.parseInt(parts[i].substring(4), 16))
                    : DICTIONARY.getTagFromName(parts[i]);
            if (tag == null || DICTIONARY.getValueRepresentationFromTag(tag) == null) {
                throw new InvalidRequestException("parameter '" + Values.shorten(parameter) + "': '"
                        + Values.shorten(parts[i]) + "' is not a known DICOM attribute keyword or tag");
            }
            boolean sequence = ValueRepresentation.isSequenceVR(DICTIONARY.getValueRepresentationFromTag(tag));
            if (i < parts.length - 1 && !sequence) {
                throw new InvalidRequestException("parameter '" + parameter + "': '" + parts[i]
                        + "' is not a sequence, so no attribute can follow it");
            }
            path.add(tag);
        }
        return List.copyOf(path);
    }

    /** Checks a match value against the attribute's VR ({@link MatchValues}); an empty one is universal matching. */
    private static MatchKey key(String parameter, List<AttributeTag> path, String value) {
        String vr = new String(DICTIONARY.getValueRepresentationFromTag(path.get(path.size() - 1)),
                StandardCharsets.US_ASCII);
        if (!value.isEmpty()) {
            String problem = vr.equals("SQ")
                    ? "a sequence cannot be matched against a value; match one of its attributes (Sequence.Attribute)"
                    : MatchValues.problem(vr, value);
            if (problem != null) {
                throw new InvalidRequestException("parameter '" + parameter + "': " + problem);
            }
        }
        return new MatchKey(parameter, path, vr, value);
    }

    private static String single(String parameter, List<String> values) {
        if (values.size() != 1) {
            throw new InvalidRequestException("parameter '" + parameter + "' is given " + values.size()
                    + " times; give it once");
        }
        return values.get(0);
    }

    private static int nonNegative(String parameter, String value) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException("parameter '" + parameter + "' must be a whole number >= 0, not '"
                + Values.shorten(value) + "'");
    }

    private static boolean booleanValue(String parameter, String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidRequestException("parameter '" + parameter + "' must be true or false, not '"
                + Values.shorten(value) + "'");
    }
}
