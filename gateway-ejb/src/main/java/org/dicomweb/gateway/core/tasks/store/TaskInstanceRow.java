package org.dicomweb.gateway.core.tasks.store;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** One instance a task delivered or failed to deliver (db/tasks V1), recorded once per task. */
@Entity
@Table(name = "task_instance")
@IdClass(TaskInstanceRow.Key.class)
public class TaskInstanceRow {

    /** DELIVERED and WARNING count as delivered: a later attempt skips them. */
    public enum Outcome {
        DELIVERED, WARNING, FAILED
    }

    @Id
    @Column(name = "task_id")
    String taskId;
    @Id
    @Column(name = "sop_instance_uid")
    String sopInstanceUid;
    String outcome;
    String reason;

    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        String taskId;
        String sopInstanceUid;

        public Key() {
        }

        Key(String taskId, String sopInstanceUid) {
            this.taskId = taskId;
            this.sopInstanceUid = sopInstanceUid;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && taskId.equals(k.taskId) && sopInstanceUid.equals(k.sopInstanceUid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(taskId, sopInstanceUid);
        }
    }
}
