package org.dicomweb.gateway.core.tasks;

import java.util.List;

import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.tasks.TaskRequest;

/**
 * One attempt at a task this node has claimed, as the {@link TaskExecution} sees it: backed by the task's row, so
 * that what it records survives a crash. Every method that records commits before it returns.
 */
public interface TaskAttempt {

    TaskRequest request();

    /**
     * Whether an earlier attempt delivered this instance already: the execution skips it, so that an instance is
     * delivered (and counted) once even when a crash or a retry makes the source send it again.
     */
    boolean deliveredBefore(String sopInstanceUid);

    /** How this attempt delivers: {@code "store"} (through the gateway) or {@code "move"} (a direct C-MOVE). */
    void method(String method);

    /** The number of instances still to deliver, once the execution knows it (null: not known). */
    void remaining(Integer remaining);

    /**
     * What the destination answered for a batch of stored instances: each stored one is counted once (a warning
     * when it has a warning reason), each failed one with its reason.
     */
    void delivered(List<StowResult.Stored> stored, List<FailedInstance> failed);

    /** For a direct transfer: the peer's counts, which replace the task's own (they are the peer's whole truth). */
    void counts(Integer remaining, int completed, int failed, int warning, List<FailedInstance> failures);

    /** True once the task is cancelled (read from its row, at most every second or so): the execution stops. */
    boolean cancelled();
}
