package org.dicomweb.gateway.core.tasks.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.PartOutput;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.tasks.FailedInstance;
import org.dicomweb.gateway.wado.InstanceSink;

/**
 * Where one retrieval of a task writes: each part is spooled (memory of the budget, else a temporary file), its
 * header read for its SOP Instance UID, then skipped (delivered by an earlier attempt, or already in this one) or
 * handed to the task's {@link BatchDelivery}; its spooled copy is freed at once either way. The sink stops the
 * retrieval by throwing an IOException from {@link #nextPart}, the retrieval's own way out for a writer that failed (it
 * cancels a C-GET or C-MOVE): when the task is cancelled, or when the destination failed as a whole ({@link
 * #destinationFailure}).
 */
final class RetrievalSink implements InstanceSink {

    private static final Logger LOG = Logger.getLogger(RetrievalSink.class.getName());

    private final String source;
    private final BatchDelivery delivery;
    private final SpoolBudget budget;
    private final Path spool;
    private final Predicate<String> deliveredBefore;
    private final Set<String> handled;
    private final BooleanSupplier cancelled;
    private final Set<String> received = new HashSet<>();
    private SpooledPart.Writer current;
    private boolean cancelSeen;
    private GatewayException destinationFailure;
    private boolean finished;
    private String epilogue;

    /**
     * {@code handled}: the instances this attempt has dealt with so far, over all its retrievals (a series asked
     * besides its study is not delivered twice); updated here.
     */
    RetrievalSink(String source, BatchDelivery delivery, SpoolBudget budget, Path spool,
            Predicate<String> deliveredBefore, Set<String> handled, BooleanSupplier cancelled) {
        this.source = source;
        this.delivery = delivery;
        this.budget = budget;
        this.spool = spool;
        this.deliveredBefore = deliveredBefore;
        this.handled = handled;
        this.cancelled = cancelled;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        complete();
        if (cancelled.getAsBoolean()) {
            cancelSeen = true;
            throw new IOException("the task was cancelled");
        }
        current = SpooledPart.writer(budget, spool);
        return PartOutput.of(current);
    }

    @Override
    public void finish(String epilogue) throws IOException {
        complete();
        this.epilogue = epilogue;
        finished = true;
    }

    /** The part just received: read, then delivered or skipped, and freed. */
    private void complete() throws IOException {
        if (current == null) {
            return;
        }
        SpooledPart part = current.done();
        current = null;
        try {
            SpooledInstance instance = SpooledInstance.read(part);
            String uid = instance.sopInstanceUid();
            received.add(uid);
            if (handled.add(uid) && !deliveredBefore.test(uid)) {
                deliver(instance);
            }
        } catch (SpooledInstance.Unreadable e) {
            unreadable(e);
        } finally {
            part.close();
        }
    }

    private void deliver(SpooledInstance instance) throws IOException {
        try {
            delivery.add(instance);
        } catch (GatewayException e) {
            destinationFailure = e;
        } catch (IOException e) {
            destinationFailure = new PeerFailureException("the gateway could not pass instance "
                    + instance.sopInstanceUid() + " on to its destination: " + e.getMessage(), e);
        }
        if (destinationFailure != null) {
            throw new IOException(destinationFailure.getMessage(), destinationFailure);
        }
    }

    /** An instance the source sent broken is failed by its UID; one without a readable UID cannot be recorded. */
    private void unreadable(SpooledInstance.Unreadable e) {
        String why = source + " sent an instance that cannot be stored: " + e.getMessage();
        if (e.sopInstanceUid == null || e.sopInstanceUid.isEmpty()) {
            LOG.warning(why);
            return;
        }
        received.add(e.sopInstanceUid);
        if (handled.add(e.sopInstanceUid) && !deliveredBefore.test(e.sopInstanceUid)) {
            delivery.failed(new FailedInstance(e.sopInstanceUid, why));
        }
    }

    /** After a retrieval that broke off: frees the part being received. */
    void abort() {
        if (current != null) {
            current.discard();
            current = null;
        }
    }

    /** The instances this retrieval sent, skipped ones included. */
    Set<String> received() {
        return received;
    }

    /** True if the sink stopped the retrieval because the task was cancelled. */
    boolean cancelSeen() {
        return cancelSeen;
    }

    /** Why the destination failed as a whole, if that stopped the retrieval. */
    GatewayException destinationFailure() {
        return destinationFailure;
    }

    /** Whether the retrieval ended with its last instance. */
    boolean finished() {
        return finished;
    }

    /** The retrieval's report of instances it failed to send, or null. */
    String epilogue() {
        return epilogue;
    }
}
