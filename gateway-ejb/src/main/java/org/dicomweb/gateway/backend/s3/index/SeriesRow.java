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

/** A series of an S3 AE (db/s3-index/V1). */
@Entity
@Table(name = "s3_series")
public class SeriesRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long pk;
    String aet;
    @Column(name = "study_pk")
    Long studyPk;
    @Column(name = "series_uid")
    String seriesUid;
    String modality;
    @Column(name = "series_number")
    Integer seriesNumber;
    byte[] attributes;
    @Column(name = "metadata_digest")
    String metadataDigest;
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
