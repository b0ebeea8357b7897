package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/** A study of an S3 AE: the columns QIDO-RS matches in SQL, and its return keys (db/s3-index/V1, V3). */
@Entity
@Table(name = "s3_study")
public class StudyRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long pk;
    String aet;
    @Column(name = "study_uid")
    String studyUid;
    @Column(name = "patient_id")
    String patientId;
    @Column(name = "patient_name")
    String patientName;
    @Column(name = "patient_birth_date")
    String patientBirthDate;
    @Column(name = "study_date")
    String studyDate;
    @Column(name = "study_time")
    String studyTime;
    @Column(name = "accession_number")
    String accessionNumber;
    @Column(name = "study_id")
    String studyId;
    @Column(name = "referring_physician_name")
    String referringPhysicianName;
    /** A matching column does not hold what the matcher sees (MatchColumns): SQL filters never drop the row. */
    boolean irregular;
    byte[] attributes;
    Instant updated;

    /** The matching columns and the return keys from an instance's data set (the latest stored wins). */
    void take(AttributeList data) {
        patientId = MatchColumns.text(data, TagFromName.PatientID);
        patientName = MatchColumns.name(data, TagFromName.PatientName);
        patientBirthDate = MatchColumns.text(data, TagFromName.PatientBirthDate);
        studyDate = MatchColumns.text(data, TagFromName.StudyDate);
        studyTime = MatchColumns.text(data, TagFromName.StudyTime);
        accessionNumber = MatchColumns.text(data, TagFromName.AccessionNumber);
        studyId = MatchColumns.text(data, TagFromName.StudyID);
        referringPhysicianName = MatchColumns.name(data, TagFromName.ReferringPhysicianName);
        irregular = MatchColumns.irregular(data, TagFromName.PatientID, TagFromName.PatientName,
                TagFromName.PatientBirthDate, TagFromName.StudyDate, TagFromName.StudyTime,
                TagFromName.AccessionNumber, TagFromName.StudyID, TagFromName.ReferringPhysicianName);
        attributes = LevelAttributes.encode(data, QueryLevel.STUDY);
    }

    /**
     * Only when the row is written: most instances of a study or series carry its attributes unchanged, and then
     * storing them is a SELECT, not an UPDATE that would hold the row's lock against the other parts of the same
     * STOW-RS request until its transaction ends.
     */
    @PrePersist
    @PreUpdate
    void touch() {
        updated = Instant.now();
    }
}
