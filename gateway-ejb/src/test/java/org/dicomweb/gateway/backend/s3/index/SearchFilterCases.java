package org.dicomweb.gateway.backend.s3.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.dicomweb.gateway.core.qido.QidoMatcher;
import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * The SQL pushdown against the core's matcher, on one database (H2 in SearchFilterTest, the PostgreSQL peer in
 * SearchFilterIT): a small index with the awkward values (LIKE's own characters, names of three component groups,
 * case beyond ASCII, several values in one attribute, numbers no INTEGER holds, a partial time, a CREATING instance)
 * and a table of queries. For every query the candidates SQL returns, matched by QidoMatcher, must be exactly the
 * matches of the matcher over all the data (SQL never drops one); where the table says the SQL is exact, the
 * candidates must be no more than those matches and the irregular rows (SQL narrows as far as it claims).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchFilterCases {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final String AET = "FILTER-TEST";
    private static final Map<String, String> SOP_CLASSES = Map.of("CT", "1.2.840.10008.5.1.4.1.1.2",
            "MR", "1.2.840.10008.5.1.4.1.1.4", "SR", "1.2.840.10008.5.1.4.1.1.88.11");

    /** One indexed row and what the matcher sees of it. */
    private record Row(QueryLevel level, long pk, AttributeList attributes, boolean irregular) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** A connection on a database migrated by the index's own Flyway scripts; the caller closes it. */
    abstract Connection connection() throws SQLException;

    static void migrate(javax.sql.DataSource dataSource, String schema) {
        var flyway = Flyway.configure(SearchFilterCases.class.getClassLoader()).dataSource(dataSource)
                .locations("classpath:db/s3-index").table("s3_index_schema_history");
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    /** Loads the rows, after removing those an earlier run left (the AE is the test's own). */
    @BeforeAll
    void load() throws Exception {
        try (Connection connection = connection()) {
            for (String table : List.of("s3_instance", "s3_series", "s3_study")) {
                try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where aet = ?")) {
                    delete.setString(1, AET);
                    delete.executeUpdate();
                }
            }
            try (IndexRows index = new IndexRows(connection, AET)) {
                study(index, 1, List.of("PatientName=DOE^JOHN", "PatientID=P_1", "StudyDate=20200115",
                        "StudyTime=143000", "AccessionNumber=A%1", "StudyID=S1", "PatientBirthDate=19700101",
                        "ReferringPhysicianName=SMITH^ANNE"), "CT/1/1,2", "SR/2/1");
                study(index, 2, List.of("PatientName=Doe^Jane^^^", "PatientID=PX1", "StudyDate=20200201",
                        "StudyTime=1430", "AccessionNumber=A11", "StudyID=S_1"), "MR/1/1");
                study(index, 3, List.of("PatientName=Yamada^Tarou=山田^太郎=やまだ^たろう", "PatientID=P-1",
                        "StudyDate=20191231", "StudyTime=235959.5", "AccessionNumber=A!1"), "MR/3/7");
                study(index, 4, List.of("PatientName=Müller^Jürgen", "PatientID=p_1", "StudyDate=20210101",
                        "StudyTime=0800", "AccessionNumber=100%"), "CT/1.5/3", "MR/4/4");
                study(index, 5, List.of("PatientName=Strauß^Johann", "PatientID=A!B", "StudyDate=20200101",
                        "ReferringPhysicianName=smith^anne"), "CT/1/1");
                study(index, 6, List.of("PatientName=ROE^RICHARD\\DOE^JOHN", "PatientID=M1\\M2",
                        "StudyDate=20200115"), "CT\\SR/2.0/1\\2");
                study(index, 7, List.of("PatientID=NONAME"), "OT/1/1");
                study(index, 8, List.of("PatientName=O'BRIEN^PAT", "PatientID=P%1", "StudyDate=20200116",
                        "StudyTime=14"), "CT/9/10");
                study(index, 9, List.of("PatientName=DOE^JOHN", "PatientID=P_1", "StudyDate=20200115"), "-CT/1/1");
                study(index, 10, List.of("PatientName=\u212Aing^Kelvin", "PatientID=K1", "StudyTime=2300"), "MR/1/1");
            }
        }
    }

    /**
     * A study with its attributes and series, each "MODALITY/SeriesNumber/InstanceNumber,...", a leading "-" for a
     * series whose instances are still CREATING.
     */
    private void study(IndexRows index, int n, List<String> attributes, String... seriesSpecs) throws Exception {
        String studyUid = "1.2.826.0.1.3680043.10.1." + n;
        AttributeList studyData = dataSet(attributes);
        put(studyData, TagFromName.SpecificCharacterSet, "ISO_IR 192");
        put(studyData, TagFromName.StudyInstanceUID, studyUid);
        StudyRow study = null;
        TreeSet<String> modalities = new TreeSet<>();
        boolean studyCreated = false;
        boolean seriesIrregular = false; // Modalities in Study asks for a series with the modality, or an irregular one
        for (int s = 0; s < seriesSpecs.length; s++) {
            boolean created = !seriesSpecs[s].startsWith("-");
            String[] spec = seriesSpecs[s].replaceFirst("^-", "").split("/");
            String seriesUid = studyUid + "." + (s + 1);
            AttributeList seriesData = copy(studyData);
            put(seriesData, TagFromName.SeriesInstanceUID, seriesUid);
            put(seriesData, TagFromName.Modality, spec[0]);
            put(seriesData, TagFromName.SeriesNumber, spec[1]);
            if (study == null) {
                study = index.study(studyUid, seriesData);
            }
            SeriesRow series = index.series(study.pk, seriesUid, seriesData);
            seriesIrregular |= series.irregular;
            String[] numbers = spec[2].split(",");
            for (int i = 0; i < numbers.length; i++) {
                String sopUid = seriesUid + "." + (i + 1);
                String sopClass = SOP_CLASSES.getOrDefault(spec[0].split("\\\\")[0], "1.2.840.10008.5.1.4.1.1.7");
                AttributeList data = copy(seriesData);
                put(data, TagFromName.SOPInstanceUID, sopUid);
                put(data, TagFromName.SOPClassUID, sopClass);
                put(data, TagFromName.InstanceNumber, numbers[i]);
                InstanceRow instance = index.instance(study.pk, series.pk, sopUid, sopClass, data,
                        created ? InstanceRow.State.CREATED : InstanceRow.State.CREATING);
                if (created) {
                    rows.add(new Row(QueryLevel.IMAGE, instance.pk, data,
                            instance.irregular || series.irregular || study.irregular));
                }
            }
            if (created) {
                modalities.addAll(List.of(spec[0].split("\\\\")));
                rows.add(new Row(QueryLevel.SERIES, series.pk, seriesData, series.irregular || study.irregular));
                studyCreated = true;
            }
        }
        if (studyCreated) {
            AttributeList data = copy(studyData);
            put(data, TagFromName.ModalitiesInStudy, String.join("\\", modalities));
            rows.add(new Row(QueryLevel.STUDY, study.pk, data, study.irregular || seriesIrregular));
        }
    }

    /**
     * resource | path UIDs (study/series numbers, or -) | query | whether SQL alone finds just the matches (with the
     * irregular rows) | how many matches there are (so that the table itself cannot go blind).
     */
    static Stream<Arguments> queries() {
        return Stream.of(
                q("STUDIES", "-", "PatientID=P_1", true, 1),
                q("STUDIES", "-", "PatientID=P_*", true, 1),
                q("STUDIES", "-", "PatientID=p_1", true, 1),
                q("STUDIES", "-", "PatientID=P?1", false, 4),
                q("STUDIES", "-", "PatientID=P%*", true, 1),
                q("STUDIES", "-", "PatientID=A!*", true, 1),
                q("STUDIES", "-", "PatientID=M2", true, 1),
                q("STUDIES", "-", "PatientID=*1", true, 7),
                q("STUDIES", "-", "PatientID=P_1\\K1", true, 2),
                q("STUDIES", "-", "AccessionNumber=100%", true, 1),
                q("STUDIES", "-", "AccessionNumber=A%1", true, 1),
                q("STUDIES", "-", "AccessionNumber=A!1", true, 1),
                q("STUDIES", "-", "StudyID=S_1", true, 1),
                q("STUDIES", "-", "StudyID=S_*", true, 1),
                q("STUDIES", "-", "PatientName=DOE", false, 0),
                q("STUDIES", "-", "PatientName=doe^john", false, 2),
                q("STUDIES", "-", "PatientName=doe^john^^", false, 2),
                q("STUDIES", "-", "PatientName=DOE*", false, 3),
                q("STUDIES", "-", "PatientName=doe^jane", false, 1),
                q("STUDIES", "-", "PatientName=DOE^J*", false, 3),
                q("STUDIES", "-", "PatientName=*OE*", false, 3),
                q("STUDIES", "-", "PatientName=山田*", false, 1),
                q("STUDIES", "-", "PatientName=やまだ^たろう", false, 1),
                q("STUDIES", "-", "PatientName=yamada^tarou=山田^太郎", false, 1),
                q("STUDIES", "-", "PatientName==山田^太郎", false, 1),
                q("STUDIES", "-", "PatientName=MÜLLER*", false, 1),
                q("STUDIES", "-", "PatientName=strauß^johann", false, 1),
                q("STUDIES", "-", "PatientName=o'brien*", false, 1),
                q("STUDIES", "-", "PatientName=king^kelvin", false, 1),
                q("STUDIES", "-", "PatientName=doe^j&fuzzymatching=true", false, 3),
                q("STUDIES", "-", "ReferringPhysicianName=SMITH^ANNE", false, 2),
                q("STUDIES", "-", "StudyDate=20200115", true, 2),
                q("STUDIES", "-", "StudyDate=20200101-20200131", true, 4),
                q("STUDIES", "-", "StudyDate=-20191231", true, 1),
                q("STUDIES", "-", "StudyDate=20200201-", true, 2),
                q("STUDIES", "-", "PatientBirthDate=19700101", true, 1),
                q("STUDIES", "-", "StudyTime=1430", true, 1),
                q("STUDIES", "-", "StudyTime=1430-1430", false, 2),
                q("STUDIES", "-", "StudyTime=143000-", false, 4),
                q("STUDIES", "-", "StudyTime=-1430", false, 4),
                q("STUDIES", "-", "StudyTime=2300-", false, 2),
                q("STUDIES", "-", "ModalitiesInStudy=MR", true, 4),
                q("STUDIES", "-", "ModalitiesInStudy=SR\\OT", true, 3),
                q("STUDIES", "-", "ModalitiesInStudy=C*", true, 5),
                q("STUDIES", "-", "StudyInstanceUID=1.2.826.0.1.3680043.10.1.1,1.2.826.0.1.3680043.10.1.9", true, 1),
                q("STUDIES", "-", "PatientName=DOE*&StudyDate=20200115&ModalitiesInStudy=CT", false, 2),
                q("STUDIES", "-", "ReferencedStudySequence.ReferencedSOPClassUID=1.2.3", false, 0),
                q("STUDIES", "-", "PatientID=*", true, 9),
                q("STUDIES", "-", "", true, 9),
                q("SERIES", "-", "Modality=CT", true, 5),
                q("SERIES", "-", "Modality=SR", true, 2),
                q("SERIES", "-", "SeriesNumber=2", true, 2),
                q("SERIES", "-", "SeriesNumber=1.0", true, 5),
                q("SERIES", "-", "SeriesNumber=1.5", true, 1),
                q("SERIES", "-", "PatientID=P_1&Modality=SR", true, 1),
                q("STUDY_SERIES", "1", "Modality=CT", true, 1),
                q("INSTANCES", "-", "InstanceNumber=2", true, 2),
                q("INSTANCES", "-", "SOPClassUID=1.2.840.10008.5.1.4.1.1.4", true, 4),
                q("INSTANCES", "-", "Modality=CT&InstanceNumber=1", true, 3),
                q("STUDY_SERIES_INSTANCES", "1/1", "InstanceNumber=2", true, 1),
                q("STUDY_INSTANCES", "4", "StudyDate=20210101", true, 2));
    }

    private static Arguments q(String resource, String path, String query, boolean exact, int matches) {
        return Arguments.of(resource, path, query, exact, matches);
    }

    @ParameterizedTest(name = "{0} {1} ?{2}")
    @MethodSource("queries")
    void sqlNarrowsToASupersetOfTheMatches(String resource, String path, String parameters, boolean exact,
            int matches) throws SQLException {
        QidoQuery query = query(QidoResource.valueOf(resource), path, parameters);
        QidoMatcher matcher = new QidoMatcher(query);
        QueryLevel level = query.resource().level();
        Set<Long> truth = new TreeSet<>();
        Set<Long> irregular = new TreeSet<>();
        for (Row row : rows) {
            if (row.level() == level && matcher.matches(row.attributes())) {
                truth.add(row.pk());
            }
            if (row.level() == level && row.irregular()) {
                irregular.add(row.pk());
            }
        }
        assertEquals(matches, truth.size(), "matches of the matcher over all rows: " + truth);
        Set<Long> candidates = candidates(query);
        Set<Long> judged = new TreeSet<>();
        for (Row row : rows) {
            if (row.level() == level && candidates.contains(row.pk()) && matcher.matches(row.attributes())) {
                judged.add(row.pk());
            }
        }
        String sql = CandidateQuery.of(AET, level, query.studyUid(), query.seriesUid(), SearchFilter.of(query, level),
                0).sql();
        assertEquals(truth, judged, "SQL dropped a match: " + sql);
        if (exact) {
            Set<Long> extra = new TreeSet<>(candidates);
            extra.removeAll(truth);
            extra.removeAll(irregular);
            assertTrue(extra.isEmpty(), "SQL let through " + extra + " that are no match: " + sql);
        }
    }

    /** All candidates, through the paging the service does (pages of 2, so that paging is crossed too). */
    private Set<Long> candidates(QidoQuery query) throws SQLException {
        QueryLevel level = query.resource().level();
        Set<Long> pks = new TreeSet<>();
        long after = 0;
        try (Connection connection = connection()) {
            while (true) {
                CandidateQuery candidates = CandidateQuery.of(AET, level, query.studyUid(), query.seriesUid(),
                        SearchFilter.of(query, level), after);
                int read = 0;
                try (PreparedStatement statement = connection.prepareStatement(candidates.sql())) {
                    statement.setMaxRows(2);
                    for (int i = 0; i < candidates.parameters().size(); i++) {
                        statement.setObject(i + 1, candidates.parameters().get(i));
                    }
                    try (ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            after = result.getLong("pk");
                            pks.add(after);
                            read++;
                        }
                    }
                }
                if (read < 2) {
                    return pks;
                }
            }
        }
    }

    private static QidoQuery query(QidoResource resource, String path, String parameters) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String parameter : parameters.isEmpty() ? new String[0] : parameters.split("&")) {
            int equals = parameter.indexOf('=');
            map.computeIfAbsent(parameter.substring(0, equals), k -> new ArrayList<>())
                    .add(parameter.substring(equals + 1));
        }
        String[] uids = path.equals("-") ? new String[0] : path.split("/");
        String study = uids.length > 0 ? "1.2.826.0.1.3680043.10.1." + uids[0] : null;
        String series = uids.length > 1 ? study + "." + uids[1] : null;
        return QidoQuery.parse(new QidoRequest(resource, study, series, map, "http://gw/aets/" + AET), 1000);
    }

    private static AttributeList dataSet(List<String> attributes) throws DicomException {
        AttributeList list = new AttributeList();
        for (String attribute : attributes) {
            int equals = attribute.indexOf('=');
            put(list, DICTIONARY.getTagFromName(attribute.substring(0, equals)), attribute.substring(equals + 1));
        }
        return list;
    }

    /** Backslashes separate values. */
    private static void put(AttributeList list, AttributeTag tag, String values) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag));
        for (String value : values.split("\\\\")) {
            attribute.addValue(value);
        }
        list.put(attribute);
    }

    private static AttributeList copy(AttributeList list) {
        AttributeList copy = new AttributeList();
        copy.putAll(list);
        return copy;
    }
}
