package org.dicomweb.gateway.core.tasks;

import org.dicomweb.gateway.tasks.TaskState;

/** The final state of an attempt that ran to its end, from the task's counts (docs/jobs.md, "States"). */
public final class TaskOutcomes {

    private TaskOutcomes() {
    }

    /**
     * FAILED when instances failed and none was delivered; WARNING when some failed or were stored with a warning;
     * else COMPLETED (also when the selection held nothing to deliver: nothing is missing at the destination).
     */
    public static TaskState finalState(int completed, int failed, int warning) {
        if (failed > 0 && completed + warning == 0) {
            return TaskState.FAILED;
        }
        return failed > 0 || warning > 0 ? TaskState.WARNING : TaskState.COMPLETED;
    }
}
