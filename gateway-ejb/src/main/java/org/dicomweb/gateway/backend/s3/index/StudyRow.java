package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

/** A study of an S3 AE: the columns QIDO-RS matches in SQL, and its return keys (db/s3-index/V1). */
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
    byte[] attributes;
    Instant updated;

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
