package org.dicomweb.gateway.core.qido;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;

/** The matcher against PS3.4 C.2.2.2, rule by rule (matching-rules.csv), and the query model it reads. */
class QidoMatcherTest {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    static QidoQuery query(QidoResource resource, String studyUid, String... parameters) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            map.computeIfAbsent(parameters[i], k -> new ArrayList<>()).add(parameters[i + 1]);
        }
        return QidoQuery.parse(new QidoRequest(resource, studyUid, null, map, "http://gw/aets/PACS"), 100);
    }

    private static QidoMatcher matcher(String... parameters) {
        return new QidoMatcher(query(QidoResource.STUDIES, null, parameters));
    }

    private static Attribute attribute(AttributeTag tag, String... values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag));
        for (String value : values) {
            attribute.addValue(value);
        }
        return attribute;
    }

    @ParameterizedTest(name = "{6}: {0} key ''{2}'' on ''{3}'' (fuzzy {4}) -> {5}")
    @CsvFileSource(resources = "matching-rules.csv")
    void matchesAsPs34Says(String vr, String keyword, String key, String value, boolean fuzzy, boolean match,
            String rule) throws DicomException {
        AttributeTag tag = DICTIONARY.getTagFromName(keyword);
        assertEquals(vr, new String(DICTIONARY.getValueRepresentationFromTag(tag), StandardCharsets.US_ASCII),
                "the row's VR is " + keyword + "'s");
        AttributeList data = new AttributeList();
        if (!value.equals("<absent>")) {
            data.put(value.isEmpty() ? attribute(tag) : attribute(tag, value.split("\\\\")));
        }
        assertEquals(match, matcher(keyword, key, "fuzzymatching", String.valueOf(fuzzy)).matches(data), rule);
    }

    private static AttributeList requestAttributes(String[]... items) throws DicomException {
        SequenceAttribute sequence = new SequenceAttribute(TagFromName.RequestAttributesSequence);
        for (String[] item : items) {
            AttributeList list = new AttributeList();
            list.put(attribute(TagFromName.RequestedProcedureID, item[0]));
            list.put(attribute(TagFromName.RequestedProcedureDescription, item[1]));
            sequence.addItem(list);
        }
        AttributeList data = new AttributeList();
        data.put(sequence);
        return data;
    }

    @Test
    void sequenceKeysMatchWithinOneItem() throws DicomException {
        // PS3.4 C.2.2.2.6: all item keys must match in one and the same item
        QidoMatcher both = matcher("RequestAttributesSequence.RequestedProcedureID", "RP1",
                "00400275.00321060", "CT*");
        assertTrue(both.matches(requestAttributes(new String[] {"RP2", "CT HEAD"}, new String[] {"RP1", "CT CHEST"})));
        assertFalse(both.matches(requestAttributes(new String[] {"RP1", "XX"}, new String[] {"RP2", "CT HEAD"})),
                "each key matches in some item, but not both in one");
        assertFalse(both.matches(new AttributeList()), "no sequence, no item to match");
        assertFalse(both.matches(requestAttributes()), "an empty sequence has no item to match");
        assertTrue(matcher("RequestAttributesSequence", "").matches(new AttributeList()),
                "a sequence as a return key is universal");
        assertTrue(matcher("includefield", "RequestAttributesSequence.RequestedProcedureID")
                .matches(new AttributeList()), "an includefield attribute is a return key");
    }

    @Test
    void pathUidsAreKeys() throws DicomException {
        QidoMatcher series = new QidoMatcher(query(QidoResource.STUDY_SERIES, "1.2.3", "Modality", "CT"));
        AttributeList data = new AttributeList();
        data.put(attribute(TagFromName.StudyInstanceUID, "1.2.3"));
        data.put(attribute(TagFromName.Modality, "CT"));
        assertTrue(series.matches(data));
        data.put(attribute(TagFromName.StudyInstanceUID, "1.2.4"));
        assertFalse(series.matches(data), "a series of another study");
    }

    @Test
    void keysTheGatewayCannotMatchAreRefused() {
        assertEquals("parameter 'PixelData': the gateway cannot match attributes of VR OX; leave its value empty"
                + " to have it returned",
                assertThrows(InvalidRequestException.class, () -> matcher("PixelData", "x")).getMessage());
        assertEquals(List.of(), matcher("PixelData", "", "PatientName", "DOE*").warnings(), "a return key is fine");
    }

    @Test
    void warningsSayWhatWasMatchedOtherwiseThanAsked() {
        assertEquals(List.of("parameter 'PatientAge': * and ? are wildcards only for AE, CS, LO, LT, PN, SH, ST, UC,"
                + " UR and UT (PS3.4 C.2.2.2.4); for AS they were matched literally"),
                matcher("PatientAge", "0*").warnings());
        assertEquals(List.of("parameter 'TimezoneOffsetFromUTC' was matched as a value; dates and times are compared"
                + " as given, not shifted to that offset"),
                matcher("TimezoneOffsetFromUTC", "+0100", "StudyTime", "1000-1100").warnings());
    }

    @Test
    void queryModel() {
        QidoQuery query = query(QidoResource.STUDIES, null, "includefield", "StudyDescription,all",
                "StudyDescription", "CT*", "00100010", "", "StudyInstanceUID", "1.2,1.3", "offset", "5",
                "fuzzymatching", "true");
        assertEquals(List.of("StudyDescription", "00100010", "StudyInstanceUID"),
                query.keys().stream().map(QidoQuery.MatchKey::parameter).toList(),
                "a parameter takes over an includefield of the same attribute, in its place");
        assertEquals(List.of("CT*", "", "1.2,1.3"), query.keys().stream().map(QidoQuery.MatchKey::value).toList());
        assertEquals(List.of("LO", "PN", "UI"), query.keys().stream().map(QidoQuery.MatchKey::vr).toList());
        assertEquals(List.of("1.2", "1.3"), query.keys().get(2).values());
        assertTrue(query.includeAll() && query.fuzzyMatching());
        assertEquals(100, query.limit());
        assertEquals(5, query.offset());
        assertEquals(List.of("results are limited to 100 per request; use limit and offset to page"), query.warnings());
        assertEquals(List.of(), query(QidoResource.STUDIES, null, "limit", "100").warnings());
        assertEquals("parameter 'StudyDate': '2020' is not a date (YYYYMMDD) or date range",
                assertThrows(InvalidRequestException.class,
                        () -> query(QidoResource.STUDIES, null, "StudyDate", "2020")).getMessage());
    }
}
