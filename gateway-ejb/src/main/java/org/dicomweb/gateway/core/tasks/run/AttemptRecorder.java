package org.dicomweb.gateway.core.tasks.run;

import java.util.List;

import jakarta.enterprise.event.Event;

import org.dicomweb.gateway.core.changefeed.InstancesArrived;
import org.dicomweb.gateway.core.tasks.TaskAttempt;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.tasks.FailedInstance;

/**
 * Records each finished batch on the task's row (which counts it), then the remaining count where it is known, then
 * announces the stored instances as arrived at the destination.
 */
final class AttemptRecorder implements BatchDelivery.Recorder {

    private final TaskAttempt attempt;
    private final Event<InstancesArrived> arrivals;
    private final Integer toDeliver;
    private int recorded;

    /** {@code toDeliver}: what this attempt has to deliver, null if unknown. */
    AttemptRecorder(TaskAttempt attempt, Event<InstancesArrived> arrivals, Integer toDeliver) {
        this.attempt = attempt;
        this.arrivals = arrivals;
        this.toDeliver = toDeliver;
    }

    @Override
    public void record(List<StowResult.Stored> stored, List<FailedInstance> failed) {
        attempt.delivered(stored, failed);
        recorded += stored.size() + failed.size();
        if (toDeliver != null) {
            attempt.remaining(Math.max(0, toDeliver - recorded));
        }
        if (!stored.isEmpty()) {
            String destination = attempt.request().destination();
            arrivals.fire(new InstancesArrived(destination, InstancesArrived.TASK, attempt.request().taskId(), stored));
        }
    }
}
