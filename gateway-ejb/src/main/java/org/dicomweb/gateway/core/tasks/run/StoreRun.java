package org.dicomweb.gateway.core.tasks.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.tasks.TaskAttempt;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * A task delivered through the gateway: each target retrieved from the source's {@link WadoService} and written into
 * a {@link RetrievalSink}, whose instances go to the destination in batches. Stops at the next part once the task is
 * cancelled (the retrieval is cancelled by its own path), keeping what was delivered.
 */
final class StoreRun {

    private final TaskAttempt attempt;
    private final String source;
    private final WadoService wado;
    private final SpoolBudget budget;
    private final Path spool;
    private final Set<String> handled = new HashSet<>();

    StoreRun(TaskAttempt attempt, WadoService wado, SpoolBudget budget, Path spool) {
        this.attempt = attempt;
        this.source = attempt.request().source();
        this.wado = wado;
        this.budget = budget;
        this.spool = spool;
    }

    /** Delivers every target into {@code delivery} (which the caller closes), or as much as before a cancel. */
    void deliver(List<SourceTarget> targets, BatchDelivery delivery) {
        for (SourceTarget target : targets) {
            if (target.instances() != null && target.instances().stream().allMatch(this::doneBefore)) {
                continue; // an earlier attempt delivered all of it
            }
            for (WadoRequest what : target.retrievals()) {
                if (attempt.cancelled()) {
                    return;
                }
                if (what.instanceUid() != null && doneBefore(what.instanceUid())) {
                    continue;
                }
                if (!retrieve(target, what, delivery)) {
                    return;
                }
            }
        }
    }

    private boolean doneBefore(String uid) {
        return handled.contains(uid) || attempt.deliveredBefore(uid);
    }

    /** One retrieval into the delivery; false if it stopped for the task's cancel. */
    private boolean retrieve(SourceTarget target, WadoRequest what, BatchDelivery delivery) {
        RetrievedInstances instances;
        try {
            instances = Stages.await(wado.retrieve(source, what), source + ": the retrieval of " + what.describe(),
                    RetrievedInstances::abandon);
        } catch (NotFoundInPacsException e) {
            if (what.instanceUid() == null) {
                throw e;
            }
            // One instance of a list the source does not have: that instance fails, the others go on.
            handled.add(what.instanceUid());
            delivery.failed(new FailedInstance(what.instanceUid(), e.getMessage()));
            return true;
        }
        RetrievalSink sink = new RetrievalSink(source, delivery, budget, spool, attempt::deliveredBefore, handled,
                attempt::cancelled);
        try {
            instances.writeTo(sink);
        } catch (IOException e) {
            sink.abort();
            if (sink.cancelSeen()) {
                return false;
            }
            if (sink.destinationFailure() != null) {
                throw sink.destinationFailure();
            }
            throw e.getCause() instanceof GatewayException failure ? failure
                    : new PeerFailureException(source + ": the retrieval of " + what.describe() + " broke off: "
                            + e.getMessage(), e);
        } catch (RuntimeException e) {
            sink.abort();
            throw e;
        }
        if (!sink.finished()) {
            sink.abort(); // the part it was writing, if any, is freed
            throw new PeerFailureException(source + ": the retrieval of " + what.describe()
                    + " ended before its last instance", null);
        }
        missing(target, what, sink, delivery);
        return true;
    }

    /**
     * What the source should have sent and did not: failed by UID where the search named the instances (so the
     * task ends WARNING, not COMPLETED); without them, a retrieval that reports failed sub-operations is retried.
     */
    private void missing(SourceTarget target, WadoRequest what, RetrievalSink sink, BatchDelivery delivery) {
        List<String> expected = what.instanceUid() != null ? List.of(what.instanceUid()) : target.instances();
        if (expected == null) {
            if (sink.epilogue() != null) {
                throw new PeerFailureException(source + ": the retrieval of " + what.describe() + " was incomplete: "
                        + sink.epilogue(), null);
            }
            return;
        }
        String why = source + " did not send it" + (sink.epilogue() == null ? "" : ": " + sink.epilogue());
        for (String uid : expected) {
            if (!sink.received().contains(uid) && !doneBefore(uid)) {
                handled.add(uid);
                delivery.failed(new FailedInstance(uid, why));
            }
        }
    }
}
