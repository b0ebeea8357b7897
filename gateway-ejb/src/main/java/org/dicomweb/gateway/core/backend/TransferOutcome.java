package org.dicomweb.gateway.core.backend;

import java.util.List;

import org.dicomweb.gateway.tasks.FailedInstance;

/**
 * The final counts of a {@link DirectTransfer}, the instances the peer named as failed (its Failed SOP Instance UID
 * List), and whether it ended because it was cancelled.
 */
public record TransferOutcome(int completed, int failed, int warning, List<FailedInstance> failures,
        boolean cancelled) {

    public TransferOutcome {
        failures = List.copyOf(failures);
    }
}
