package org.dicomweb.gateway.tasks;

/** An instance a task could not deliver, and why (the destination's status or the failure, one line). */
public record FailedInstance(String sopInstanceUid, String reason) {
}
