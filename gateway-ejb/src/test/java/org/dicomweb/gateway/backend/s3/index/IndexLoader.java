package org.dicomweb.gateway.backend.s3.index;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Random;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.flywaydb.core.Flyway;

/**
 * The QIDO bench's loader (bench/qido-s3.sh): fills the index of one S3 AE with synthetic studies, written as
 * IndexStore writes them (the entities' take(), LevelAttributes' encoding: IndexRows), after migrating the database
 * with the gateway's own Flyway scripts. No object is written to the bucket: QIDO-RS reads only the index. The AE's
 * earlier rows are removed first. Deterministic (fixed seed), so runs compare.
 *
 * <pre>IndexLoader JDBC-URL USER PASSWORD AET STUDIES SERIES-PER-STUDY INSTANCES-PER-SERIES</pre>
 *
 * Study n: PatientID PAT{n:06}, PatientName FAMILY^GIVEN from 50 x 40 names (so SMITH* matches about 1 study in
 * 50), StudyDate spread over 2015-2024, AccessionNumber ACC{n:07}, modalities CT, MR, CR, US in turn.
 */
public final class IndexLoader {

    private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
    private static final List<String> FAMILY = List.of("SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA",
            "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON",
            "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN", "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS",
            "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT",
            "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "GREEN", "ADAMS", "NELSON", "BAKER", "HALL", "RIVERA",
            "CAMPBELL", "MITCHELL", "CARTER", "ROBERTS");
    private static final List<String> GIVEN = List.of("JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER",
            "MICHAEL", "LINDA", "DAVID", "ELIZABETH", "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA",
            "THOMAS", "SARAH", "CHARLES", "KAREN", "CHRISTOPHER", "LISA", "DANIEL", "NANCY", "MATTHEW", "BETTY",
            "ANTHONY", "MARGARET", "MARK", "SANDRA", "DONALD", "ASHLEY", "STEVEN", "KIMBERLY", "PAUL", "EMILY",
            "ANDREW", "DONNA", "JOSHUA", "MICHELLE");
    private static final List<String[]> MODALITIES = List.of(new String[] {"CT", "1.2.840.10008.5.1.4.1.1.2"},
            new String[] {"MR", "1.2.840.10008.5.1.4.1.1.4"}, new String[] {"CR", "1.2.840.10008.5.1.4.1.1.1"},
            new String[] {"US", "1.2.840.10008.5.1.4.1.1.6.1"});
    private static final String ROOT = "1.2.826.0.1.3680043.10.1414";

    private IndexLoader() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: IndexLoader JDBC-URL USER PASSWORD AET STUDIES SERIES INSTANCES");
            System.exit(2);
        }
        String url = args[0];
        String aet = args[3];
        int studies = Integer.parseInt(args[4]);
        int seriesPerStudy = Integer.parseInt(args[5]);
        int instancesPerSeries = Integer.parseInt(args[6]);
        Flyway.configure(IndexLoader.class.getClassLoader()).dataSource(url, args[1], args[2])
                .locations("classpath:db/s3-index").table("s3_index_schema_history").load().migrate();
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, args[1], args[2])) {
            connection.setAutoCommit(false);
            for (String table : List.of("s3_instance", "s3_series", "s3_study")) {
                try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where aet = ?")) {
                    delete.setString(1, aet);
                    delete.executeUpdate();
                }
            }
            connection.commit();
            Random random = new Random(14);
            try (IndexRows rows = new IndexRows(connection, aet)) {
                for (int n = 1; n <= studies; n++) {
                    load(rows, n, seriesPerStudy, instancesPerSeries, random);
                    if (n % 100 == 0) {
                        connection.commit();
                    }
                }
            }
            connection.commit();
            try (var analyze = connection.createStatement()) {
                if (url.startsWith("jdbc:postgresql:")) {
                    analyze.execute("analyze s3_study; analyze s3_series; analyze s3_instance");
                    connection.commit();
                }
            }
        }
        System.out.printf("IndexLoader: %d studies, %d series, %d instances into %s (AE %s) in %.1f s%n", studies,
                studies * seriesPerStudy, studies * seriesPerStudy * instancesPerSeries, url, aet,
                (System.nanoTime() - start) / 1e9);
    }

    private static void load(IndexRows rows, int n, int seriesPerStudy, int instancesPerSeries, Random random)
            throws Exception {
        String studyUid = ROOT + "." + n;
        AttributeList study = new AttributeList();
        put(study, TagFromName.SpecificCharacterSet, "ISO_IR 100");
        put(study, TagFromName.StudyInstanceUID, studyUid);
        put(study, TagFromName.PatientID, String.format("PAT%06d", n));
        put(study, TagFromName.PatientName, FAMILY.get(random.nextInt(FAMILY.size())) + "^"
                + GIVEN.get(random.nextInt(GIVEN.size())));
        put(study, TagFromName.PatientBirthDate, String.format("%04d%02d%02d", 1930 + random.nextInt(90),
                1 + random.nextInt(12), 1 + random.nextInt(28)));
        put(study, TagFromName.PatientSex, random.nextBoolean() ? "F" : "M");
        put(study, TagFromName.StudyDate, String.format("%04d%02d%02d", 2015 + random.nextInt(10),
                1 + random.nextInt(12), 1 + random.nextInt(28)));
        put(study, TagFromName.StudyTime, String.format("%02d%02d%02d", 7 + random.nextInt(12), random.nextInt(60),
                random.nextInt(60)));
        put(study, TagFromName.AccessionNumber, String.format("ACC%07d", n));
        put(study, TagFromName.StudyID, Integer.toString(n));
        put(study, TagFromName.StudyDescription, "SYNTHETIC STUDY " + n);
        put(study, TagFromName.ReferringPhysicianName, FAMILY.get(random.nextInt(FAMILY.size())) + "^DR");
        StudyRow studyRow = null;
        for (int s = 1; s <= seriesPerStudy; s++) {
            String[] modality = MODALITIES.get((n + s) % MODALITIES.size());
            String seriesUid = studyUid + "." + s;
            AttributeList series = copy(study);
            put(series, TagFromName.SeriesInstanceUID, seriesUid);
            put(series, TagFromName.Modality, modality[0]);
            put(series, TagFromName.SeriesNumber, Integer.toString(s));
            put(series, TagFromName.SeriesDescription, modality[0] + " SERIES " + s);
            if (studyRow == null) {
                studyRow = rows.study(studyUid, series);
            }
            SeriesRow seriesRow = rows.series(studyRow.pk, seriesUid, series);
            for (int i = 1; i <= instancesPerSeries; i++) {
                String sopUid = seriesUid + "." + i;
                AttributeList instance = copy(series);
                put(instance, TagFromName.SOPInstanceUID, sopUid);
                put(instance, TagFromName.SOPClassUID, modality[1]);
                put(instance, TagFromName.InstanceNumber, Integer.toString(i));
                put(instance, TagFromName.Rows, "512");
                put(instance, TagFromName.Columns, "512");
                rows.instance(studyRow.pk, seriesRow.pk, sopUid, modality[1], instance, InstanceRow.State.CREATED);
            }
        }
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws DicomException {
        Attribute attribute = AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag));
        attribute.addValue(value);
        list.put(attribute);
    }

    private static AttributeList copy(AttributeList list) {
        AttributeList copy = new AttributeList();
        copy.putAll(list);
        return copy;
    }
}
