package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An instance of an S3 AE and its object (db/s3-index/V1). */
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
    byte[] attributes;
    Instant updated;
}
