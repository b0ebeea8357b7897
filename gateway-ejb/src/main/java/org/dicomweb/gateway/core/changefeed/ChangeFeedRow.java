package org.dicomweb.gateway.core.changefeed;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.dicomweb.gateway.changefeed.ChangeFeedEntry;

/** One row of change_feed (db/changefeed V1): one instance that entered the gateway. */
@Entity
@Table(name = "change_feed")
public class ChangeFeedRow {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    long sequence;
    @Column(name = "recorded_at")
    Instant recordedAt;
    String aet;
    String origin;
    @Column(name = "task_id")
    String taskId;
    @Column(name = "study_instance_uid")
    String studyInstanceUid;
    @Column(name = "series_instance_uid")
    String seriesInstanceUid;
    @Column(name = "sop_instance_uid")
    String sopInstanceUid;
    @Column(name = "sop_class_uid")
    String sopClassUid;

    ChangeFeedEntry entry() {
        return new ChangeFeedEntry(sequence, recordedAt, aet, origin, taskId, studyInstanceUid, seriesInstanceUid,
                sopInstanceUid, sopClassUid);
    }
}
