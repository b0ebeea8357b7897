package org.dicomweb.gateway.core.qido;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.InformationEntity;
import com.pixelmed.dicom.TagFromName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The matcher against a real PACS: for each query, the studies or series QidoMatcher finds among the sample files
 * (work/samples, which scripts/test.sh loads into Orthanc) must be those Orthanc's own QIDO-RS answers, counting only
 * the sample studies (Orthanc also holds what other tests stored). Queries use only attributes the samples have,
 * and values taken from them, so that each query finds some but not all (a wrong matcher fails).
 */
class QidoMatcherIT {

    private static final int ORTHANC_HTTP_PORT = 18042;
    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;

    /** Per study, the patient and study attributes with Modalities in Study (C.6.1.1.3); per series, those too. */
    private static final Map<String, AttributeList> STUDIES = new LinkedHashMap<>();
    private static final Map<String, AttributeList> SERIES = new LinkedHashMap<>();
    /** The sample study the queries take their values from: one of the ASCII set 2x2x5, always loaded. */
    private static String firstStudy;

    @BeforeAll
    static void readSamplesOrthancHas() throws Exception {
        Set<String> inOrthanc = uids(get("/dicom-web/studies"), TagFromName.StudyInstanceUID);
        Path samples = TestPeers.projectRoot().resolve("work/samples");
        List<Path> ascii = list(samples.resolve("2x2x5"));
        assertTrue(ascii.stream().allMatch(study -> inOrthanc.contains(study.getFileName().toString())),
                "scripts/test.sh loads work/samples/2x2x5 into Orthanc");
        firstStudy = ascii.get(0).getFileName().toString();
        for (Path set : list(samples)) {
            if (set.getFileName().toString().startsWith(".")) {
                continue; // a set being generated
            }
            for (Path study : list(set)) {
                if (inOrthanc.contains(study.getFileName().toString())) {
                    readStudy(study);
                }
            }
        }
    }

    private static void readStudy(Path directory) throws IOException, DicomException {
        AttributeList study = new AttributeList();
        Attribute modalities = AttributeFactory.newAttribute(TagFromName.ModalitiesInStudy,
                DICTIONARY.getValueRepresentationFromTag(TagFromName.ModalitiesInStudy));
        Set<String> seen = new TreeSet<>();
        for (Path seriesDirectory : list(directory)) {
            // study and series attributes are the same in every instance of a series: its first one tells them
            AttributeList instance = new AttributeList();
            instance.read(list(seriesDirectory).get(0).toString(), TagFromName.PixelData);
            AttributeList series = new AttributeList();
            for (Attribute attribute : instance.values()) {
                InformationEntity entity = DICTIONARY.getInformationEntityFromTag(attribute.getTag());
                if (entity == InformationEntity.PATIENT || entity == InformationEntity.STUDY) {
                    study.put(attribute);
                    series.put(attribute);
                } else if (entity == InformationEntity.SERIES) {
                    series.put(attribute);
                }
            }
            SERIES.put(Attribute.getSingleStringValueOrEmptyString(instance, TagFromName.SeriesInstanceUID), series);
            String modality = Attribute.getSingleStringValueOrEmptyString(instance, TagFromName.Modality);
            if (seen.add(modality)) {
                modalities.addValue(modality);
            }
        }
        study.put(modalities);
        STUDIES.put(directory.getFileName().toString(), study);
    }

    private static AttributeList first() {
        return STUDIES.get(firstStudy);
    }

    private static String value(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    @Test
    void studiesMatchAsOrthancMatchesThem() throws Exception {
        AttributeList a = first();
        String date = value(a, TagFromName.StudyDate);
        String time = value(a, TagFromName.StudyTime);
        String uid = value(a, TagFromName.StudyInstanceUID);
        String other = STUDIES.keySet().stream().filter(u -> !u.equals(uid)).findFirst().orElseThrow();
        String accession = value(a, TagFromName.AccessionNumber);
        List<String> queries = List.of(
                "PatientName=DOE*",
                "PatientName=doe^j*",
                "PatientName=*AN*",
                "PatientName=?OE^JANE",
                "PatientName=DOE^JOHN",
                "PatientName=" + value(a, TagFromName.PatientName),
                "StudyDate=" + date,
                "StudyDate=" + date + "-",
                "StudyDate=-" + date,
                "StudyDate=20150101-" + date,
                "StudyTime=" + time + "-235959",
                "StudyTime=000000-" + time,
                "ModalitiesInStudy=CT&PatientName=DOE^JANE",
                "StudyInstanceUID=" + uid + "," + other,
                "StudyInstanceUID=" + uid + ",1.2.3.4",
                "AccessionNumber=" + accession,
                "AccessionNumber=" + accession.substring(0, 4) + "*",
                "PatientID=" + value(a, TagFromName.PatientID),
                "PatientName=DOE*&StudyDate=-" + date);
        compare(QidoResource.STUDIES, "/dicom-web/studies", STUDIES, TagFromName.StudyInstanceUID, queries);
    }

    @Test
    void seriesMatchAsOrthancMatchesThem() throws Exception {
        AttributeList a = first();
        String uid = value(a, TagFromName.StudyInstanceUID);
        List<String> ofA = SERIES.entrySet().stream()
                .filter(s -> value(s.getValue(), TagFromName.StudyInstanceUID).equals(uid)).map(Map.Entry::getKey)
                .toList();
        List<String> queries = List.of(
                "SeriesDescription=AXIAL*LUNG",
                "SeriesDescription=*TISSUE",
                "SeriesNumber=2",
                "SeriesInstanceUID=" + ofA.get(0) + "," + ofA.get(1),
                "SeriesInstanceUID=" + ofA.get(0),
                "Modality=CT&PatientName=DOE^JANE",
                "PatientName=doe*&SeriesNumber=1",
                "StudyDate=-" + value(a, TagFromName.StudyDate),
                "AccessionNumber=" + value(a, TagFromName.AccessionNumber),
                "StudyInstanceUID=" + uid);
        compare(QidoResource.SERIES, "/dicom-web/series", SERIES, TagFromName.SeriesInstanceUID, queries);
    }

    private static void compare(QidoResource resource, String path, Map<String, AttributeList> entities,
            AttributeTag uniqueKey, List<String> queries) throws IOException {
        assertTrue(entities.size() >= 4, "the samples hold at least the 2x2x5 set: " + entities.keySet());
        for (String query : queries) {
            QidoMatcher matcher = new QidoMatcher(QidoMatcherTest.query(resource, null, parameters(query)));
            Set<String> expected = new TreeSet<>();
            entities.forEach((uid, attributes) -> {
                if (matcher.matches(attributes)) {
                    expected.add(uid);
                }
            });
            Set<String> orthanc = uids(get(path + "?" + query), uniqueKey);
            orthanc.retainAll(entities.keySet());
            assertEquals(orthanc, expected, path + "?" + query);
            assertFalse(expected.isEmpty() || expected.size() == entities.size(),
                    path + "?" + query + " should find some but not all of the " + entities.size());
        }
    }

    private static String[] parameters(String query) {
        List<String> parameters = new ArrayList<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            parameters.add(parameter.substring(0, equals));
            parameters.add(parameter.substring(equals + 1));
        }
        return parameters.toArray(new String[0]);
    }

    private static Set<String> uids(JsonArray matches, AttributeTag uniqueKey) {
        String tag = String.format("%04X%04X", uniqueKey.getGroup(), uniqueKey.getElement());
        Set<String> uids = new TreeSet<>();
        for (JsonObject match : matches.getValuesAs(JsonObject.class)) {
            uids.add(match.getJsonObject(tag).getJsonArray("Value").getString(0));
        }
        return uids;
    }

    /**
     * Orthanc's QIDO-RS, asked over a plain socket: Orthanc takes {@code *}, {@code ^} and {@code ,} only
     * unencoded, which java.net.URI refuses to carry (/work notes: test-peers.md, percent-encoding).
     */
    private static JsonArray get(String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(TestPeers.HOST, ORTHANC_HTTP_PORT), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.0\r\nHost: " + TestPeers.HOST + "\r\nAccept: application/dicom+json"
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            int body = text.indexOf("\r\n\r\n");
            assertTrue(body > 0 && (text.startsWith("HTTP/1.1 200") || text.startsWith("HTTP/1.0 200")),
                    "Orthanc answered " + target + " with " + text.lines().findFirst().orElse("nothing"));
            String json = text.substring(body + 4).strip();
            return json.isEmpty() ? Json.createArrayBuilder().build()
                    : Json.createReader(new StringReader(json)).readArray();
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }
}
