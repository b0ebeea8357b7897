package org.dicomweb.gateway.backend.dimse.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.qido.QidoResource;

class QidoQueryParserTest {

    private final QidoQueryParser parser = new QidoQueryParser(100);

    private SearchPlan parse(QidoResource resource, boolean relational, String... parameters) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            map.computeIfAbsent(parameters[i], k -> new java.util.ArrayList<>()).add(parameters[i + 1]);
        }
        return parser.parse(new QidoRequest(resource, "1.2.3", "1.2.3.4", map, "http://gw/aets/PACS"),
                relational ? RelationalQueries.TRUE : RelationalQueries.FALSE, "PACS");
    }

    private static String value(AttributeList identifier, AttributeTag tag) {
        return Attribute.getDelimitedStringValuesOrNull(identifier, tag);
    }

    private String reason(QidoResource resource, String... parameters) {
        return assertThrows(InvalidRequestException.class, () -> parse(resource, false, parameters)).getMessage();
    }

    @Test
    void studySearchWithDefaultsMatchKeysAndPaging() {
        SearchPlan plan = parse(QidoResource.STUDIES, false, "PatientName", "DOE*", "StudyDate", "20200101-",
                "StudyInstanceUID", "1.2,1.3", "limit", "10", "offset", "5", "includefield", "StudyDescription,00081080");
        assertEquals(1, plan.chain().hierarchical().size());
        AttributeList id = plan.chain().hierarchical().get(0).identifier();
        assertEquals("STUDY", value(id, TagFromName.QueryRetrieveLevel));
        assertEquals("DOE*", value(id, TagFromName.PatientName));
        assertEquals("20200101-", value(id, TagFromName.StudyDate));
        assertEquals("1.2\\1.3", value(id, TagFromName.StudyInstanceUID), "a UID list becomes a multi-valued key");
        assertEquals("ISO_IR 192", value(id, TagFromName.SpecificCharacterSet));
        assertTrue(id.containsKey(TagFromName.StudyDescription) && id.containsKey(TagFromName.AdmittingDiagnosesDescription));
        assertTrue(id.containsKey(TagFromName.NumberOfStudyRelatedInstances), "default return key");
        assertTrue(id.containsKey(ReturnKeys.INSTANCE_AVAILABILITY));
        assertTrue(!id.containsKey(ReturnKeys.RETRIEVE_URL), "the gateway fills RetrieveURL itself");
        assertEquals(10, plan.limit());
        assertEquals(5, plan.offset());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void seriesOfAllStudiesAreQueriedLevelByLevelUnlessRelational() {
        SearchPlan hierarchical = parse(QidoResource.SERIES, false, "PatientID", "P1", "Modality", "CT");
        assertEquals(List.of(QueryLevel.STUDY, QueryLevel.SERIES),
                hierarchical.chain().hierarchical().stream().map(SearchPlan.LevelQuery::level).toList());
        AttributeList study = hierarchical.chain().hierarchical().get(0).identifier();
        AttributeList series = hierarchical.chain().hierarchical().get(1).identifier();
        assertEquals("P1", value(study, TagFromName.PatientID));
        assertEquals("CT", value(series, TagFromName.Modality));
        assertTrue(!series.containsKey(TagFromName.PatientID), "study keys stay at study level");
        assertTrue(series.containsKey(TagFromName.StudyInstanceUID), "set from each study match");

        SearchPlan relational = parse(QidoResource.SERIES, true, "PatientID", "P1", "Modality", "CT");
        assertEquals(1, relational.chain().relational().size());
        AttributeList one = relational.chain().relational().get(0).identifier();
        assertEquals("SERIES", value(one, TagFromName.QueryRetrieveLevel));
        assertEquals("P1", value(one, TagFromName.PatientID));
        assertEquals("CT", value(one, TagFromName.Modality));
        assertTrue(one.containsKey(TagFromName.StudyDate), "study attributes are returned with series of all studies");
    }

    @Test
    void instancesOfAllStudiesNeedThreeLevels() {
        assertEquals(List.of(QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE),
                parse(QidoResource.INSTANCES, false).chain().hierarchical().stream().map(SearchPlan.LevelQuery::level).toList());
        assertEquals(List.of(QueryLevel.SERIES, QueryLevel.IMAGE),
                parse(QidoResource.STUDY_INSTANCES, false).chain().hierarchical().stream().map(SearchPlan.LevelQuery::level).toList());
    }

    @Test
    void pathUidsNarrowTheQuery() {
        AttributeList id = parse(QidoResource.STUDY_SERIES_INSTANCES, false).chain().hierarchical().get(0).identifier();
        assertEquals("IMAGE", value(id, TagFromName.QueryRetrieveLevel));
        assertEquals("1.2.3", value(id, TagFromName.StudyInstanceUID));
        assertEquals("1.2.3.4", value(id, TagFromName.SeriesInstanceUID));
        assertTrue(id.containsKey(TagFromName.SOPInstanceUID));
    }

    @Test
    void sequencePathsBuildNestedKeys() {
        AttributeList id = parse(QidoResource.STUDY_SERIES, false,
                "RequestAttributesSequence.RequestedProcedureID", "RP1",
                "00400275.00321060", "CT HEAD").chain().hierarchical().get(0).identifier();
        SequenceAttribute sequence = (SequenceAttribute) id.get(TagFromName.RequestAttributesSequence);
        assertEquals(1, sequence.getNumberOfItems());
        AttributeList item = sequence.getItem(0).getAttributeList();
        assertEquals("RP1", value(item, TagFromName.RequestedProcedureID));
        assertEquals("CT HEAD", value(item, TagFromName.RequestedProcedureDescription));
    }

    @Test
    void emptyValueIsUniversalMatching() {
        AttributeList id = parse(QidoResource.STUDIES, false, "AccessionNumber", "").chain().hierarchical().get(0).identifier();
        assertTrue(id.containsKey(TagFromName.AccessionNumber));
        assertNull(value(id, TagFromName.AccessionNumber));
    }

    @Test
    void warnings() {
        SearchPlan fuzzy = parse(QidoResource.STUDIES, false, "fuzzymatching", "true", "limit", "1");
        assertEquals(List.of("fuzzy matching is not supported for PACS; exact matching was used"),
                fuzzy.warningsOn(QueryNegotiation.NONE));
        assertEquals(List.of(), fuzzy.warningsOn(new QueryNegotiation(false, false, true)));
        SearchPlan unlimited = parse(QidoResource.STUDIES, false);
        assertEquals(100, unlimited.limit());
        assertEquals(List.of("results are limited to 100 per request; use limit and offset to page"),
                unlimited.warningsOn(QueryNegotiation.NONE));
        assertEquals(100, parse(QidoResource.STUDIES, false, "limit", "500").limit());
    }

    @Test
    void badParametersNameThemselves() {
        assertEquals("parameter 'StudyDate': '2020' is not a date (YYYYMMDD) or date range",
                reason(QidoResource.STUDIES, "StudyDate", "2020"));
        assertEquals("parameter 'StudyTime': '25:00' is not a time (HHMMSS.FFFFFF) or time range",
                reason(QidoResource.STUDIES, "StudyTime", "25:00"));
        assertEquals("parameter 'StudyInstanceUID': '1.2.x' is not a UID: it has 'x' at character 5; a UID has only"
                + " digits and dots",
                reason(QidoResource.STUDIES, "StudyInstanceUID", "1.2.x"));
        assertEquals("parameter 'SeriesNumber': 'one' is not a number",
                reason(QidoResource.STUDY_SERIES, "SeriesNumber", "one"));
        assertEquals("parameter 'RequestAttributesSequence': a sequence cannot be matched against a value; match one of its attributes (Sequence.Attribute)",
                reason(QidoResource.STUDY_SERIES, "RequestAttributesSequence", "x"));
        assertEquals("parameter 'includefield': 'Nope' is not a known DICOM attribute keyword or tag",
                reason(QidoResource.STUDIES, "includefield", "Nope"));
        assertEquals("parameter 'fuzzymatching' must be true or false, not 'yes'",
                reason(QidoResource.STUDIES, "fuzzymatching", "yes"));
        assertEquals("parameter 'offset' must be a whole number >= 0, not 'x'", reason(QidoResource.STUDIES, "offset", "x"));
        assertEquals("parameter 'StudyTime': '256000' is not a time (HHMMSS.FFFFFF) or time range",
                reason(QidoResource.STUDIES, "StudyTime", "256000"));
        assertEquals("parameter 'PatientName': 'DOEU+0001' has the control character U+0001 at character 4",
                reason(QidoResource.STUDIES, "PatientName", "DOE\u0001"));
        assertEquals("parameter 'SOPClassUID': '1.2.' is not a UID: it ends with a dot (an empty last component)",
                reason(QidoResource.INSTANCES, "SOPClassUID", "1.2,1.2."));
        assertEquals("parameter 'ReferencedStudySequence.ReferencedSOPInstanceUID': '1..2' is not a UID: it has an"
                + " empty component: two dots at character 2",
                reason(QidoResource.STUDIES, "ReferencedStudySequence.ReferencedSOPInstanceUID", "1..2"));
    }
}
