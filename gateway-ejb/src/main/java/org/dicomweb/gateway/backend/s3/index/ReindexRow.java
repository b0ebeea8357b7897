package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last (or running) reindex of an S3 AE, in the database so that every node sees its progress (V1, V2). */
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
    /** When the run last wrote its progress. */
    Instant heartbeat;
    /** Which run the row belongs to: a run that finds another id here was taken over and stops. */
    @Column(name = "run_id")
    String runId;
}
