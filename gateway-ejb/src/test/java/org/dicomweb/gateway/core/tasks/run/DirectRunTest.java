package org.dicomweb.gateway.core.tasks.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.core.backend.DirectTransfer;
import org.dicomweb.gateway.core.backend.TransferOutcome;
import org.dicomweb.gateway.core.backend.TransferProgress;
import org.dicomweb.gateway.core.tasks.TaskAttempt;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskTarget;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * How a direct transfer's counts become the task's: the peer's counts of each transfer added to those of the
 * transfers before, the remaining count including the targets still to go, a cancel seen between and during
 * transfers, and an instance of a list the peer does not have.
 */
class DirectRunTest {

    /** What the task's row was told, as "remaining/completed/failed/warning failures". */
    private final List<String> counts = new ArrayList<>();
    private boolean cancelled;
    /** The task is cancelled as the first counts are recorded, i.e. while its first transfer runs. */
    private boolean cancelWhileRunning;

    private final TaskAttempt attempt = new TaskAttempt() {
        @Override
        public TaskRequest request() {
            return new TaskRequest("t1", null, null, 4, "SRC", TaskSelection.of(List.of()), "DEST", null);
        }

        @Override
        public boolean deliveredBefore(String sopInstanceUid) {
            return false;
        }

        @Override
        public void method(String method) {
        }

        @Override
        public void remaining(Integer remaining) {
        }

        @Override
        public void delivered(List<StowResult.Stored> stored, List<FailedInstance> failed) {
            throw new AssertionError("a direct transfer records the peer's counts only");
        }

        @Override
        public void counts(Integer remaining, int completed, int failed, int warning, List<FailedInstance> failures) {
            counts.add(remaining + "/" + completed + "/" + failed + "/" + warning + " "
                    + failures.stream().map(FailedInstance::sopInstanceUid).toList());
            cancelled |= cancelWhileRunning;
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }
    };

    /** A peer that reports {@code pending} (remaining, completed) pairs, then ends with its final counts. */
    private static final class Peer implements DirectTransfer {
        final List<String> asked = new ArrayList<>();
        final List<int[]> pending = new ArrayList<>();
        int completed;
        int failed;
        List<FailedInstance> failures = List.of();
        /** An instance (or a study) it does not have. */
        String missing;

        @Override
        public boolean reaches(String sourceAet, String destinationAet) {
            return true;
        }

        @Override
        public TransferOutcome transfer(String sourceAet, WadoRequest what, String destinationAet,
                TransferProgress progress) {
            asked.add(what.describe());
            String uid = what.instanceUid() != null ? what.instanceUid() : what.studyUid();
            if (uid.equals(missing)) {
                throw new NotFoundInPacsException(sourceAet + " has no " + what.describe());
            }
            for (int[] step : pending) {
                progress.progress(step[0], step[1], 0, 0);
                if (progress.cancelled()) {
                    return new TransferOutcome(step[1], 0, 0, List.of(), true);
                }
            }
            return new TransferOutcome(completed, failed, 0, failures, false);
        }
    }

    private final Peer peer = new Peer();

    private void run(SourceTarget... targets) {
        new DirectRun(attempt, peer).run(Arrays.asList(targets));
    }

    private static SourceTarget study(String uid, Integer instances) {
        return new SourceTarget(TaskTarget.study(uid), instances == null ? null
                : java.util.stream.IntStream.range(0, instances).mapToObj(i -> uid + "." + i).toList());
    }

    @Test
    void thePeersCountsAddUpOverTheTransfersAndRemainingCountsTheTargetsToGo() {
        peer.pending.add(new int[] {2, 1});
        peer.completed = 3;
        peer.failed = 1;
        peer.failures = List.of(new FailedInstance("9.9", "refused"));

        run(study("1.1", 4), study("1.2", 4));

        assertEquals(List.of("study 1.1", "study 1.2"), peer.asked);
        assertEquals(List.of("6/1/0/0 []", "4/3/1/0 [9.9]", "2/4/1/0 [9.9]", "0/6/2/0 [9.9, 9.9]"), counts);
    }

    @Test
    void aTargetOfUnknownSizeLeavesRemainingUnknownUntilItIsDone() {
        peer.completed = 2;

        run(study("1.1", 4), study("1.2", null), study("1.3", 5));

        assertEquals(List.of("null/2/0/0 []", "5/4/0/0 []", "0/6/0/0 []"), counts);
    }

    @Test
    void aCancelStopsTheRunningTransferAndNoOtherStarts() {
        peer.pending.add(new int[] {3, 1});
        peer.completed = 4;
        cancelWhileRunning = true;

        run(study("1.1", 4), study("1.2", 4));

        assertEquals(List.of("study 1.1"), peer.asked);
        assertEquals(List.of("7/1/0/0 []", "4/1/0/0 []"), counts, "the peer's counts as it stopped");
    }

    @Test
    void anInstanceOfAListThePeerLacksFailsAloneAndAMissingStudyFailsTheTask() {
        peer.completed = 1;
        peer.missing = "1.1.1.2";

        run(new SourceTarget(new TaskTarget("1.1", "1.1.1", List.of("1.1.1.1", "1.1.1.2", "1.1.1.3")),
                List.of("1.1.1.1", "1.1.1.2", "1.1.1.3")));

        assertEquals(List.of("2/1/0/0 []", "1/1/1/0 [1.1.1.2]", "0/2/1/0 [1.1.1.2]"), counts);
        peer.missing = "1.5";
        assertThrows(NotFoundInPacsException.class, () -> run(study("1.5", null)));
    }
}
