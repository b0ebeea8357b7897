package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last (or running) reindex of an S3 AE, in the database so that every node sees its progress. */
@Entity
@Table(name = "s3_reindex")
public class ReindexRow {
    @Id
    String aet;
    String state;
    Instant started;
    Instant finished;
    long listed;
    long indexed;
    long unchanged;
    long failed;
    long removed;
    String message;
}
