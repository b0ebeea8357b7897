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

/** A series of an S3 AE (db/s3-index/V1, V3). */
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
    /** A matching column does not hold what the matcher sees (MatchColumns): SQL filters never drop the row. */
    boolean irregular;
    byte[] attributes;
    @Column(name = "metadata_digest")
    String metadataDigest;
    Instant updated;

    /** The matching columns and the return keys from an instance's data set (the latest stored wins). */
    void take(AttributeList data) {
        modality = MatchColumns.text(data, TagFromName.Modality);
        seriesNumber = MatchColumns.number(data, TagFromName.SeriesNumber);
        irregular = MatchColumns.irregular(data, TagFromName.Modality)
                || MatchColumns.irregularNumber(data, TagFromName.SeriesNumber);
        attributes = LevelAttributes.encode(data, QueryLevel.SERIES);
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
