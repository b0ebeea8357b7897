package org.dicomweb.gateway.backend.s3.index;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

import com.pixelmed.dicom.AttributeList;

/**
 * Index rows written over plain JDBC with the columns IndexStore writes through JPA (the entities' {@code take}), for
 * the search tests and the QIDO bench's loader, outside WildFly. Statements are prepared once; the caller commits.
 */
final class IndexRows implements AutoCloseable {

    private final String aet;
    private final PreparedStatement study;
    private final PreparedStatement series;
    private final PreparedStatement instance;

    IndexRows(Connection connection, String aet) throws SQLException {
        this.aet = aet;
        study = connection.prepareStatement("insert into s3_study (aet, study_uid, patient_id, patient_name,"
                + " patient_birth_date, study_date, study_time, accession_number, study_id, referring_physician_name,"
                + " irregular, attributes, updated) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"pk"});
        series = connection.prepareStatement("insert into s3_series (aet, study_pk, series_uid, modality,"
                + " series_number, irregular, attributes, updated) values (?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"pk"});
        instance = connection.prepareStatement("insert into s3_instance (aet, study_pk, series_pk, sop_instance_uid,"
                + " sop_class_uid, instance_number, state, object_key, object_size, transfer_syntax, irregular,"
                + " attributes, updated) values (?, ?, ?, ?, ?, ?, ?, ?, 0, '1.2.840.10008.1.2.1', ?, ?, ?)",
                new String[] {"pk"});
    }

    /** The study's row from one of its instances' data sets; its pk. */
    StudyRow study(String uid, AttributeList data) throws SQLException {
        StudyRow row = new StudyRow();
        row.take(data);
        Object[] values = {aet, uid, row.patientId, row.patientName, row.patientBirthDate, row.studyDate,
            row.studyTime, row.accessionNumber, row.studyId, row.referringPhysicianName, row.irregular,
            row.attributes, now()};
        row.pk = insert(study, values);
        return row;
    }

    SeriesRow series(long studyPk, String uid, AttributeList data) throws SQLException {
        SeriesRow row = new SeriesRow();
        row.take(data);
        row.pk = insert(series, new Object[] {aet, studyPk, uid, row.modality, row.seriesNumber, row.irregular,
            row.attributes, now()});
        return row;
    }

    InstanceRow instance(long studyPk, long seriesPk, String uid, String sopClassUid, AttributeList data,
            InstanceRow.State state) throws SQLException {
        InstanceRow row = new InstanceRow();
        row.take(data);
        row.pk = insert(instance, new Object[] {aet, studyPk, seriesPk, uid, sopClassUid, row.instanceNumber,
            state.name(), "objects/" + uid + ".dcm", row.irregular, row.attributes, now()});
        return row;
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private static long insert(PreparedStatement statement, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, Types.NULL); // untyped: VARCHAR and INTEGER columns alike
            } else if (values[i] instanceof Integer number) {
                statement.setInt(i + 1, number);
            } else {
                statement.setObject(i + 1, values[i]);
            }
        }
        statement.executeUpdate();
        try (ResultSet keys = statement.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no key generated for " + statement);
            }
            return keys.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (study; series; instance) {
            // closes all three, even when one fails
        }
    }
}
