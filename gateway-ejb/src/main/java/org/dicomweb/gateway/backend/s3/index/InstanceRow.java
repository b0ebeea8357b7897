package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/** An instance of an S3 AE and its object (db/s3-index/V1, V3). */
@Entity
@Table(name = "s3_instance")
public class InstanceRow {

    /** CREATING while its objects are uploaded; only CREATED instances are searched and served. */
    public enum State { CREATING, CREATED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long pk;
    String aet;
    @Column(name = "study_pk")
    Long studyPk;
    @Column(name = "series_pk")
    Long seriesPk;
    @Column(name = "sop_instance_uid")
    String sopInstanceUid;
    @Column(name = "sop_class_uid")
    String sopClassUid;
    @Column(name = "instance_number")
    Integer instanceNumber;
    @Enumerated(EnumType.STRING)
    State state;
    @Column(name = "object_key")
    String objectKey;
    @Column(name = "object_size")
    long objectSize;
    String etag;
    @Column(name = "transfer_syntax")
    String transferSyntax;
    String frames;
    /** A matching column does not hold what the matcher sees (MatchColumns): SQL filters never drop the row. */
    boolean irregular;
    byte[] attributes;
    Instant updated;

    /** The matching columns (but the UIDs) and the return keys from the instance's data set. */
    void take(AttributeList data) {
        instanceNumber = MatchColumns.number(data, TagFromName.InstanceNumber);
        irregular = MatchColumns.irregular(data, TagFromName.SOPClassUID)
                || MatchColumns.irregularNumber(data, TagFromName.InstanceNumber);
        attributes = LevelAttributes.encode(data, QueryLevel.IMAGE);
    }
}
