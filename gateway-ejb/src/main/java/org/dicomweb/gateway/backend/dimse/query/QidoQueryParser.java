package org.dicomweb.gateway.backend.dimse.query;

import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.core.qido.MatchValues;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.InformationEntity;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.ValueRepresentation;

import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.validation.Values;

/**
 * Turns QIDO-RS query parameters (PS3.18 §8.3.4) into C-FIND identifiers: attribute matching by keyword, tag or
 * sequence path, includefield, limit, offset and fuzzymatching. Every bad parameter is a 400 naming it.
 */
public final class QidoQueryParser {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final Pattern TAG = Pattern.compile("[0-9A-Fa-f]{8}");

    private final int maxResults;

    public QidoQueryParser(int maxResults) {
        this.maxResults = maxResults;
    }

    /** A key of the identifier: a path of tags (more than one for a key inside a sequence) and its value, if any. */
    private record Key(List<AttributeTag> path, String value) {
    }

    public SearchPlan parse(QidoRequest request, RelationalQueries relationalQueries, String aet) {
        Integer limit = null;
        int offset = 0;
        boolean includeAll = false;
        String fuzzyMatchingWarning = null;
        List<String> warnings = new ArrayList<>();
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : request.parameters().entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            switch (name) {
                case "limit" -> limit = nonNegative(name, single(name, values));
                case "offset" -> offset = nonNegative(name, single(name, values));
                case "fuzzymatching" -> fuzzyMatchingWarning = booleanValue(name, single(name, values))
                        ? "fuzzy matching is not supported for " + aet + "; exact matching was used" : null;
                case "includefield" -> {
                    for (String value : values) {
                        for (String field : value.split(",")) {
                            if (field.trim().equals("all")) {
                                includeAll = true;
                            } else {
                                List<AttributeTag> path = path(name, field.trim());
                                keys.putIfAbsent(pathKey(path), new Key(path, null));
                            }
                        }
                    }
                }
                default -> {
                    List<AttributeTag> path = path(name, name);
                    keys.put(pathKey(path), new Key(path, matchValue(name, path, single(name, values))));
                }
            }
        }
        if (limit == null || limit > maxResults) {
            warnings.add("results are limited to " + maxResults + " per request; use limit and offset to page");
            limit = maxResults;
        }
        SearchPlan.QueryChain chain = new SearchPlan.QueryChain(chain(request, true, keys.values(), includeAll),
                chain(request, false, keys.values(), includeAll), relationalQueries);
        return new SearchPlan(chain, limit, offset, List.copyOf(warnings), fuzzyMatchingWarning);
    }

    private static List<SearchPlan.LevelQuery> chain(QidoRequest request, boolean relational, Iterable<Key> keys,
            boolean includeAll) {
        QidoResource resource = request.resource();
        List<QueryLevel> levels = switch (resource) {
            case STUDIES -> List.of(QueryLevel.STUDY);
            case STUDY_SERIES -> List.of(QueryLevel.SERIES);
            case STUDY_SERIES_INSTANCES -> List.of(QueryLevel.IMAGE);
            case SERIES -> relational ? List.of(QueryLevel.SERIES) : List.of(QueryLevel.STUDY, QueryLevel.SERIES);
            case STUDY_INSTANCES -> relational ? List.of(QueryLevel.IMAGE) : List.of(QueryLevel.SERIES, QueryLevel.IMAGE);
            case INSTANCES -> relational ? List.of(QueryLevel.IMAGE)
                    : List.of(QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE);
        };
        // Resources without a study in their path return the attributes of the levels above the matches too.
        List<QueryLevel> returned = switch (resource) {
            case STUDIES -> List.of(QueryLevel.STUDY);
            case STUDY_SERIES -> List.of(QueryLevel.SERIES);
            case STUDY_SERIES_INSTANCES -> List.of(QueryLevel.IMAGE);
            case SERIES -> List.of(QueryLevel.STUDY, QueryLevel.SERIES);
            case STUDY_INSTANCES -> List.of(QueryLevel.SERIES, QueryLevel.IMAGE);
            case INSTANCES -> List.of(QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE);
        };
        List<SearchPlan.LevelQuery> chain = new ArrayList<>();
        for (QueryLevel level : levels) {
            chain.add(new SearchPlan.LevelQuery(level, new AttributeList()));
        }
        for (QueryLevel level : returned) {
            for (AttributeTag tag : ReturnKeys.defaults(level)) {
                put(chain, levels, level, List.of(tag), null);
            }
            if (includeAll) {
                for (AttributeTag tag : ReturnKeys.all(level)) {
                    put(chain, levels, level, List.of(tag), null);
                }
            }
        }
        if (request.studyUid() != null) {
            put(chain, levels, QueryLevel.STUDY, List.of(TagFromName.StudyInstanceUID), request.studyUid());
        }
        if (request.seriesUid() != null) {
            put(chain, levels, QueryLevel.SERIES, List.of(TagFromName.SeriesInstanceUID), request.seriesUid());
        }
        for (Key key : keys) {
            put(chain, levels, levelOf(key.path().get(0), resource.level()), key.path(), key.value());
        }
        for (SearchPlan.LevelQuery query : chain) {
            set(query.identifier(), List.of(TagFromName.QueryRetrieveLevel), query.level().name());
            if (query.identifier().get(ReturnKeys.uniqueKey(query.level())) == null) {
                set(query.identifier(), List.of(ReturnKeys.uniqueKey(query.level())), null);
            }
            // Ask for UTF-8 answers; PACS that cannot convert answer in their own character set, which PixelMed decodes.
            set(query.identifier(), List.of(TagFromName.SpecificCharacterSet), "ISO_IR 192");
        }
        return List.copyOf(chain);
    }

    /** Puts a key into the query of its level, or of the nearest level the chain has. */
    private static void put(List<SearchPlan.LevelQuery> chain, List<QueryLevel> levels, QueryLevel level,
            List<AttributeTag> path, String value) {
        int index = levels.indexOf(level);
        if (index < 0) {
            index = level.ordinal() < levels.get(0).ordinal() ? 0 : levels.size() - 1;
        }
        AttributeList identifier = chain.get(index).identifier();
        if (value != null || identifier.get(path.get(0)) == null) {
            set(identifier, path, value);
        }
    }

    /** The query level an attribute belongs to, as PixelMed's dictionary knows it; unknown ones at the match level. */
    private static QueryLevel levelOf(AttributeTag tag, QueryLevel matchLevel) {
        InformationEntity entity = DICTIONARY.getInformationEntityFromTag(tag);
        QueryLevel level;
        if (entity == InformationEntity.PATIENT || entity == InformationEntity.STUDY) {
            level = QueryLevel.STUDY;
        } else if (entity == InformationEntity.SERIES || entity == InformationEntity.PROCEDURESTEP) {
            level = QueryLevel.SERIES;
        } else {
            level = QueryLevel.IMAGE;
        }
        return level.ordinal() > matchLevel.ordinal() ? matchLevel : level;
    }

    private static void set(AttributeList list, List<AttributeTag> path, String value) {
        try {
            AttributeTag tag = path.get(0);
            if (path.size() == 1) {
                Attribute attribute = AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag));
                if (value != null) {
                    attribute.addValue(value);
                }
                list.put(attribute);
                return;
            }
            SequenceAttribute sequence = list.get(tag) instanceof SequenceAttribute existing
                    ? existing : new SequenceAttribute(tag);
            if (sequence.getNumberOfItems() == 0) {
                sequence.addItem(new AttributeList());
            }
            list.put(sequence);
            set(((SequenceItem) sequence.iterator().next()).getAttributeList(), path.subList(1, path.size()), value);
        } catch (DicomException e) {
            throw new InvalidRequestException("cannot use value '" + Values.shorten(value) + "' for " + describe(path) + ": "
                    + e.getMessage());
        }
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

    /** Checks a match value against the attribute's VR ({@link MatchValues}) and puts it into C-FIND form. */
    private static String matchValue(String parameter, List<AttributeTag> path, String value) {
        if (value.isEmpty()) {
            return null; // universal matching: a return key
        }
        byte[] vr = DICTIONARY.getValueRepresentationFromTag(path.get(path.size() - 1));
        String problem = ValueRepresentation.isSequenceVR(vr)
                ? "a sequence cannot be matched against a value; match one of its attributes (Sequence.Attribute)"
                : MatchValues.problem(new String(vr, StandardCharsets.US_ASCII), value);
        if (problem != null) {
            throw new InvalidRequestException("parameter '" + parameter + "': " + problem);
        }
        // a UID list (PS3.18 §8.3.4.1) is a multi-valued key in C-FIND
        return ValueRepresentation.isUniqueIdentifierVR(vr) ? value.replace(',', '\\') : value;
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

    private static String pathKey(List<AttributeTag> path) {
        return path.toString();
    }

    private static String describe(List<AttributeTag> path) {
        return path.stream().map(DICTIONARY::getNameFromTag).reduce((a, b) -> a + "." + b).orElse("");
    }
}
