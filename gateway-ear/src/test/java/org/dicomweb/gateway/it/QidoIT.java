package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * QIDO-RS through the gateway against Orthanc (relational C-FIND) and dcmqrscp (level-by-level C-FIND), each result
 * compared with the sample files the PACS were loaded with and with dcmtk findscu run directly on the same PACS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class QidoIT extends DeployedGatewayAndPeers {

    private static final List<String> AETS = List.of("ORTHANC", "DCMQRSCP");
    private static final String STUDY_UID = "0020000D";
    private static final String SERIES_UID = "0020000E";
    private static final String SOP_UID = "00080018";
    private static final String RETRIEVE_URL = "00081190";

    private static String study;
    private static String patientId;

    @BeforeAll
    static void samples() {
        study = SampleStudies.studies().get(0);
        patientId = Findscu.find("ORTHANC", TestPeers.ORTHANC_PORT, "STUDY", "StudyInstanceUID=" + study, "PatientID")
                .get(0).get("00100020");
    }

    private static JsonArray search(String aet, String pathAndQuery) {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/" + aet + pathAndQuery);
        assertEquals(200, reply.status(), aet + pathAndQuery + ": " + reply.body());
        assertEquals("application/dicom+json", reply.contentType());
        return reply.json().asJsonArray();
    }

    private static String value(JsonObject match, String tag) {
        JsonObject attribute = match.getJsonObject(tag);
        if (attribute == null || !attribute.containsKey("Value")) {
            return "";
        }
        JsonValue first = attribute.getJsonArray("Value").get(0);
        if (first instanceof JsonString text) {
            return text.getString();
        }
        if (first instanceof JsonObject name) {
            return name.getString("Alphabetic", "");
        }
        return first.toString();
    }

    private static Set<String> values(JsonArray matches, String tag) {
        return matches.stream().map(m -> value(m.asJsonObject(), tag)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> values(List<Map<String, String>> matches, String tag) {
        return matches.stream().map(m -> m.getOrDefault(tag, "")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void studiesMatchFindscu() {
        for (String aet : AETS) {
            JsonArray matches = search(aet, "/studies?PatientID=" + patientId);
            List<Map<String, String>> direct = Findscu.find(aet, Findscu.port(aet), "STUDY",
                    "PatientID=" + patientId, "StudyInstanceUID", "PatientName", "StudyDate", "AccessionNumber");
            assertEquals(values(direct, STUDY_UID), values(matches, STUDY_UID), aet);
            assertTrue(values(matches, STUDY_UID).contains(study), aet);
            for (String tag : List.of("00100010", "00080020", "00080050")) {
                assertEquals(values(direct, tag), values(matches, tag), aet + " " + tag);
            }
            JsonObject first = matches.getJsonObject(0);
            assertEquals(Http.GATEWAY + "/aets/" + aet + "/studies/" + value(first, STUDY_UID),
                    value(first, RETRIEVE_URL));
        }
    }

    @Test
    void seriesOfAStudyMatchTheSamples() {
        for (String aet : AETS) {
            JsonArray matches = search(aet, "/studies/" + study + "/series");
            assertEquals(new TreeSet<>(SampleStudies.series(study)), values(matches, SERIES_UID), aet);
            assertEquals(Set.of(study), values(matches, STUDY_UID), aet + ": series carry their study");
            List<Map<String, String>> direct = Findscu.find(aet, Findscu.port(aet), "SERIES",
                    "StudyInstanceUID=" + study, "SeriesInstanceUID", "Modality", "SeriesNumber");
            assertEquals(values(direct, "00200011"), values(matches, "00200011"), aet);
            JsonObject first = matches.getJsonObject(0);
            assertEquals(Http.GATEWAY + "/aets/" + aet + "/studies/" + study + "/series/" + value(first, SERIES_UID),
                    value(first, RETRIEVE_URL));
        }
    }

    @Test
    void instancesOfASeriesMatchTheSamples() {
        String series = SampleStudies.series(study).get(0);
        for (String aet : AETS) {
            JsonArray matches = search(aet, "/studies/" + study + "/series/" + series + "/instances");
            assertEquals(new TreeSet<>(SampleStudies.instances(study, series)), values(matches, SOP_UID), aet);
            assertEquals(Set.of(series), values(matches, SERIES_UID), aet);
            assertEquals(Set.of(study), values(matches, STUDY_UID), aet);
            JsonObject first = matches.getJsonObject(0);
            assertEquals(Http.GATEWAY + "/aets/" + aet + "/studies/" + study + "/series/" + series + "/instances/"
                    + value(first, SOP_UID), value(first, RETRIEVE_URL));
        }
    }

    @Test
    void instancesOfAStudyAcrossItsSeries() {
        for (String aet : AETS) {
            JsonArray matches = search(aet, "/studies/" + study + "/instances");
            assertEquals(new TreeSet<>(SampleStudies.instances(study)), values(matches, SOP_UID), aet);
            assertEquals(new TreeSet<>(SampleStudies.series(study)), values(matches, SERIES_UID), aet);
        }
    }

    @Test
    void seriesAndInstancesOfAllStudiesCarryStudyAttributes() {
        for (String aet : AETS) {
            JsonArray series = search(aet, "/series?PatientID=" + patientId);
            Set<String> expectedSeries = new TreeSet<>();
            Set<String> expectedInstances = new TreeSet<>();
            for (Map<String, String> s : Findscu.find(aet, Findscu.port(aet), "STUDY", "PatientID=" + patientId,
                    "StudyInstanceUID")) {
                for (Map<String, String> se : Findscu.find(aet, Findscu.port(aet), "SERIES",
                        "StudyInstanceUID=" + s.get(STUDY_UID), "SeriesInstanceUID")) {
                    expectedSeries.add(se.get(SERIES_UID));
                    Findscu.find(aet, Findscu.port(aet), "IMAGE", "StudyInstanceUID=" + s.get(STUDY_UID),
                            "SeriesInstanceUID=" + se.get(SERIES_UID), "SOPInstanceUID")
                            .forEach(i -> expectedInstances.add(i.get(SOP_UID)));
                }
            }
            assertEquals(expectedSeries, values(series, SERIES_UID), aet);
            assertEquals(Set.of(patientId), values(series, "00100020"), aet + ": study attributes on series");
            JsonArray instances = search(aet, "/instances?PatientID=" + patientId);
            assertEquals(expectedInstances, values(instances, SOP_UID), aet);
            assertTrue(instances.stream().allMatch(i -> !value(i.asJsonObject(), STUDY_UID).isEmpty()), aet);
        }
    }

    @Test
    void matchingKinds() {
        List<String> studies = SampleStudies.studies();
        for (String aet : AETS) {
            Function<String, Set<String>> studyUids = query -> values(search(aet, "/studies?" + query), STUDY_UID);
            assertEquals(new TreeSet<>(studies), studyUids.apply("StudyInstanceUID=" + String.join(",", studies)),
                    aet + ": UID list");
            assertEquals(Set.of(study), studyUids.apply("StudyInstanceUID=" + study), aet);
            assertTrue(studyUids.apply("StudyDate=19000101-20991231&PatientID=" + patientId).contains(study), aet);
            assertTrue(studyUids.apply("00100020=" + patientId).contains(study), aet + ": by tag");
            String prefix = patientId.substring(0, patientId.length() - 1);
            assertTrue(studyUids.apply("PatientID=" + prefix + "%3F").contains(study), aet + ": ? wildcard, encoded");
            assertTrue(studyUids.apply("PatientID=" + prefix + "*").contains(study), aet + ": * wildcard");
        }
    }

    @Test
    void includefieldLimitAndOffset() {
        String series = SampleStudies.series(study).get(0);
        String instances = "/studies/" + study + "/series/" + series + "/instances";
        for (String aet : AETS) {
            JsonObject withDescription = search(aet, "/studies?StudyInstanceUID=" + study
                    + "&includefield=StudyDescription").getJsonObject(0);
            assertTrue(withDescription.containsKey("00081030"), aet + ": includefield by keyword");
            assertTrue(search(aet, "/studies?StudyInstanceUID=" + study + "&includefield=00081030").getJsonObject(0)
                    .containsKey("00081030"), aet + ": includefield by tag");
            assertTrue(search(aet, "/studies?StudyInstanceUID=" + study + "&includefield=all").getJsonObject(0)
                    .containsKey("00081030"), aet + ": includefield=all");

            List<String> all = search(aet, instances).stream().map(m -> value(m.asJsonObject(), SOP_UID)).toList();
            List<String> page = search(aet, instances + "?limit=2&offset=1").stream()
                    .map(m -> value(m.asJsonObject(), SOP_UID)).toList();
            assertEquals(all.subList(1, 3), page, aet + ": the PACS's order, paged");
            // The association is still usable after the C-CANCEL that ends a limited search.
            assertEquals(1, search(aet, instances + "?limit=1").size());
            assertEquals(all.size(), search(aet, instances).size());
        }
    }

    @Test
    void characterSetsAreConvertedToUtf8() {
        for (String aet : AETS) {
            Set<String> names = values(search(aet, "/studies?PatientName=M%C3%BCller*"), "00100010");
            assertTrue(names.contains("Müller^Jürgen"), aet + ": " + names);
            names = values(search(aet, "/studies?PatientName=Dvo*"), "00100010");
            assertTrue(names.contains("Dvořák^Antonín"), aet + ": " + names);
        }
    }

    @Test
    void answersWithoutMatchesAndBadRequests() {
        for (String aet : AETS) {
            Http.Reply none = Http.get(Http.GATEWAY + "/aets/" + aet + "/studies?PatientID=NO_SUCH_PATIENT");
            assertEquals(204, none.status(), aet);
            assertBadRequest(aet, "/studies?StudyDate=yesterday",
                    "parameter 'StudyDate': 'yesterday' is not a date (YYYYMMDD) or date range");
            assertBadRequest(aet, "/studies?PatientNam=X",
                    "parameter 'PatientNam': 'PatientNam' is not a known DICOM attribute keyword or tag");
            assertBadRequest(aet, "/studies?limit=-1", "parameter 'limit' must be a whole number >= 0, not '-1'");
            assertBadRequest(aet, "/studies?PatientID=A&PatientID=B",
                    "parameter 'PatientID' is given 2 times; give it once");
            assertBadRequest(aet, "/studies?PatientName.PatientID=1",
                    "parameter 'PatientName.PatientID': 'PatientName' is not a sequence, so no attribute can follow it");
        }
        assertEquals(404, Http.get(Http.GATEWAY + "/aets/NOPE/studies").status());
    }

    private static void assertBadRequest(String aet, String query, String reason) {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/" + aet + query);
        assertEquals(400, reply.status(), reply.body());
        assertEquals(reason, reply.json().asJsonObject().getString("reason"));
    }

    @Test
    void warningsForFuzzyMatchingAndCappedResults() {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?fuzzymatching=true&limit=1");
        assertEquals(200, reply.status());
        assertEquals(List.of("299 dicomweb-gateway \"fuzzy matching is not supported for ORTHANC; exact matching was used\""),
                reply.warnings());
        Http.Reply capped = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?StudyInstanceUID=" + study);
        assertEquals(List.of("299 dicomweb-gateway \"results are limited to 10000 per request; use limit and offset to page\""),
                capped.warnings());
        assertEquals(List.of(), Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?limit=5").warnings());
    }

    @Test
    void aPacsThatIsDownIs502WithAWarning() {
        try {
            TestPeers.stop("dcmqrscp");
            Http.Reply reply = Http.get(Http.GATEWAY + "/aets/DCMQRSCP/studies");
            assertEquals(502, reply.status(), reply.body());
            assertTrue(reply.warnings().get(0).startsWith("299 dicomweb-gateway \"DCMQRSCP at 127.0.0.1:11113: "),
                    reply.warnings().toString());
        } finally {
            TestPeers.start("dcmqrscp");
        }
    }
}
