package org.dicomweb.gateway.backend.dimse.query;

import java.util.ArrayList;
import java.util.List;

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

import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.validation.Values;

/**
 * Turns a QIDO-RS search ({@link QidoQuery}: its keys, includefield, limit, offset, fuzzymatching) into C-FIND
 * identifiers, each key at the query level it belongs to.
 */
public final class QidoQueryParser {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    private final int maxResults;

    public QidoQueryParser(int maxResults) {
        this.maxResults = maxResults;
    }

    public SearchPlan parse(QidoRequest request, RelationalQueries relationalQueries, String aet) {
        QidoQuery query = QidoQuery.parse(request, maxResults);
        String fuzzyMatchingWarning = query.fuzzyMatching()
                ? "fuzzy matching is not supported for " + aet + "; exact matching was used" : null;
        SearchPlan.QueryChain chain = new SearchPlan.QueryChain(chain(query, true), chain(query, false),
                relationalQueries);
        return new SearchPlan(chain, query.limit(), query.offset(), query.warnings(), fuzzyMatchingWarning);
    }

    private static List<SearchPlan.LevelQuery> chain(QidoQuery query, boolean relational) {
        QidoResource resource = query.resource();
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
            if (query.includeAll()) {
                for (AttributeTag tag : ReturnKeys.all(level)) {
                    put(chain, levels, level, List.of(tag), null);
                }
            }
        }
        if (query.studyUid() != null) {
            put(chain, levels, QueryLevel.STUDY, List.of(TagFromName.StudyInstanceUID), query.studyUid());
        }
        if (query.seriesUid() != null) {
            put(chain, levels, QueryLevel.SERIES, List.of(TagFromName.SeriesInstanceUID), query.seriesUid());
        }
        for (QidoQuery.MatchKey key : query.keys()) {
            put(chain, levels, levelOf(key.path().get(0), resource.level()), key.path(), findValue(key));
        }
        for (SearchPlan.LevelQuery level : chain) {
            set(level.identifier(), List.of(TagFromName.QueryRetrieveLevel), level.level().name());
            if (level.identifier().get(ReturnKeys.uniqueKey(level.level())) == null) {
                set(level.identifier(), List.of(ReturnKeys.uniqueKey(level.level())), null);
            }
            // Ask for UTF-8 answers; PACS that cannot convert answer in their own character set, which PixelMed decodes.
            set(level.identifier(), List.of(TagFromName.SpecificCharacterSet), "ISO_IR 192");
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

    /** A key's value in C-FIND form: none for universal matching (a return key), a UID list multi-valued. */
    private static String findValue(QidoQuery.MatchKey key) {
        if (key.universal()) {
            return null;
        }
        // a UID list (PS3.18 §8.3.4.1) is a multi-valued key in C-FIND
        return key.vr().equals("UI") ? key.value().replace(',', '\\') : key.value();
    }

    private static String describe(List<AttributeTag> path) {
        return path.stream().map(DICTIONARY::getNameFromTag).reduce((a, b) -> a + "." + b).orElse("");
    }
}
