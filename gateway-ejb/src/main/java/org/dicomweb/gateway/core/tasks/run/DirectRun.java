package org.dicomweb.gateway.core.tasks.run;

import java.util.ArrayList;
import java.util.List;

import org.dicomweb.gateway.core.backend.DirectTransfer;
import org.dicomweb.gateway.core.backend.TransferOutcome;
import org.dicomweb.gateway.core.backend.TransferProgress;
import org.dicomweb.gateway.core.tasks.TaskAttempt;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * A task the source sends straight to its destination ({@link DirectTransfer}, a C-MOVE): one transfer per
 * retrieval of each target, the peer's counts added up over them and recorded as the peer reports them (they replace
 * the task's own: the peer is the only one who sees these instances).
 */
final class DirectRun {

    private final TaskAttempt attempt;
    private final DirectTransfer transfer;
    private int completed;
    private int failed;
    private int warning;
    private final List<FailedInstance> failures = new ArrayList<>();

    DirectRun(TaskAttempt attempt, DirectTransfer transfer) {
        this.attempt = attempt;
        this.transfer = transfer;
    }

    /** Returns when every transfer ended, or after the one a cancel stopped. */
    void run(List<SourceTarget> targets) {
        String source = attempt.request().source();
        String destination = attempt.request().destination();
        List<WadoRequest> retrievals = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (SourceTarget target : targets) {
            for (WadoRequest what : target.retrievals()) {
                retrievals.add(what);
                expected.add(what.instanceUid() != null ? Integer.valueOf(1)
                        : target.instances() == null ? null : target.instances().size());
            }
        }
        for (int i = 0; i < retrievals.size(); i++) {
            if (attempt.cancelled()) {
                return;
            }
            Integer later = sum(expected.subList(i + 1, expected.size()));
            WadoRequest what = retrievals.get(i);
            TransferOutcome outcome;
            try {
                outcome = transfer(source, what, destination, later);
            } catch (NotFoundInPacsException e) {
                if (what.instanceUid() == null) {
                    throw e;
                }
                // One instance of a list the source does not have: that instance fails, the others go on.
                outcome = new TransferOutcome(0, 1, 0, List.of(new FailedInstance(what.instanceUid(),
                        e.getMessage())), false);
            }
            completed += outcome.completed();
            failed += outcome.failed();
            warning += outcome.warning();
            failures.addAll(outcome.failures());
            attempt.counts(later, completed, failed, warning, List.copyOf(failures));
            if (outcome.cancelled()) {
                return;
            }
        }
    }

    private TransferOutcome transfer(String source, WadoRequest what, String destination, Integer later) {
        return transfer.transfer(source, what, destination, new TransferProgress() {
            @Override
            public void progress(Integer remaining, int done, int failedNow, int warningNow) {
                attempt.counts(remaining == null || later == null ? null : remaining + later, completed + done,
                        failed + failedNow, warning + warningNow, List.copyOf(failures));
            }

            @Override
            public boolean cancelled() {
                return attempt.cancelled();
            }
        });
    }

    /** The sum, or null if any is unknown. */
    private static Integer sum(List<Integer> counts) {
        int sum = 0;
        for (Integer count : counts) {
            if (count == null) {
                return null;
            }
            sum += count;
        }
        return sum;
    }
}
