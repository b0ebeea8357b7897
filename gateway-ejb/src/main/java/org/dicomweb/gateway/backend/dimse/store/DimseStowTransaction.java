package org.dicomweb.gateway.backend.dimse.store;

import static org.dicomweb.gateway.core.stow.StowOutcomes.CANNOT_UNDERSTAND;
import static org.dicomweb.gateway.core.stow.StowOutcomes.OUT_OF_RESOURCES;
import static org.dicomweb.gateway.core.stow.StowOutcomes.PROCESSING_FAILURE;
import static org.dicomweb.gateway.core.stow.StowOutcomes.SOP_CLASS_NOT_SUPPORTED;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.backend.dimse.DimseDevice;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.core.stow.StowOutcomes;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * One STOW-RS request stored by C-STORE: parts spooled (memory or file), stored in parallel (bounded), then freed.
 * Each part gets exactly one outcome, in the order of the body: a failure found while reading it, or what its store
 * task says. A store task owns its spooled part from submission on and frees it itself when it ends, so a request that
 * ends early (interrupted, timed out) never hands back memory a C-STORE is still reading.
 */
public final class DimseStowTransaction implements StowTransaction {

    private static final Logger LOG = Logger.getLogger(DimseStowTransaction.class.getName());

    private final RemoteAe ae;
    private final DimseDevice device;
    private final Path spool;
    private final Semaphore inFlight;
    private final SpoolBudget budget;
    /** How long one C-STORE may take, from a wait for a store slot to the PACS's response. */
    private final long storeDeadlineMs;
    private final StowOutcomes outcomes;
    private StowResult result;

    public DimseStowTransaction(RemoteAe ae, String studyUid, DimseDevice device, Path spool, SpoolBudget budget,
            int parallelStores) {
        this.ae = ae;
        this.budget = budget;
        this.outcomes = new StowOutcomes(ae.aet(), studyUid);
        this.device = device;
        this.spool = spool;
        this.inFlight = new Semaphore(parallelStores);
        this.storeDeadlineMs = 2L * ae.poolWaitTimeoutMs() + ae.connectTimeoutMs() + 3L * ae.dimseTimeoutMs();
    }

    @Override
    public void add(InputStream part) throws IOException {
        String number = outcomes.nextPart();
        SpooledPart spooled;
        try {
            spooled = SpooledPart.spool(part, budget, spool);
        } catch (IOException | RuntimeException e) {
            known(StowResult.Failed.unparsed(PROCESSING_FAILURE, number + " could not be read: " + e.getMessage()));
            throw e;
        }
        SpooledInstance instance;
        try {
            instance = SpooledInstance.read(spooled);
        } catch (SpooledInstance.Unreadable e) {
            discard(spooled);
            known(e.sopInstanceUid == null
                    ? StowResult.Failed.unparsed(CANNOT_UNDERSTAND, number + ": " + e.getMessage())
                    : new StowResult.Failed(e.sopClassUid, e.sopInstanceUid, CANNOT_UNDERSTAND, e.getMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            discard(spooled);
            known(StowResult.Failed.unparsed(PROCESSING_FAILURE, number + ": " + e.getMessage()));
            return;
        }
        if (outcomes.refusedForStudy(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid())) {
            discard(spooled);
            return;
        }
        submit(instance);
    }

    /** Queues the C-STORE; with no DIMSE thread free, the reading thread stores it itself (back-pressure, no loss). */
    private void submit(SpooledInstance instance) {
        if (!acquireInFlight()) {
            discard(instance.part());
            known(failed(instance, OUT_OF_RESOURCES, "no C-STORE to " + ae.aet() + " finished within "
                    + storeDeadlineMs + " ms to make room for it"));
            return;
        }
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                outcome.complete(store(instance));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, ae.aet() + ": the C-STORE task of " + instance.sopInstanceUid() + " failed", e);
                outcome.complete(failed(instance, PROCESSING_FAILURE, "the gateway failed to store it: " + e));
            } finally {
                discard(instance.part());
                inFlight.release();
            }
        };
        outcomes.pending(outcome, instance.sopClassUid(), instance.sopInstanceUid());
        try {
            device.executor().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private boolean acquireInFlight() {
        try {
            return inFlight.tryAcquire(storeDeadlineMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The C-STORE, within max-concurrent-stores for the AE; returns a Stored or a Failed. */
    private Object store(SpooledInstance instance) {
        try (OperationSlots.Slot slot = device.storeSlots(ae.aet()).acquire()) {
            int status = StoreExchange.fitsPooledAssociation(instance)
                    ? device.storePool(ae.aet()).execute(association -> StoreExchange.store(association, instance))
                    : storeOnItsOwnAssociation(instance);
            if (status == 0 || (status & 0xF000) == 0xB000) {
                return new StowResult.Stored(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid(),
                        instance.seriesUid(), status == 0 ? null : status);
            }
            return failed(instance, status, ae.aet() + " answered the C-STORE with status 0x"
                    + Integer.toHexString(status));
        } catch (StoreExchange.NotAcceptedException e) {
            return failed(instance, SOP_CLASS_NOT_SUPPORTED, ae.aet() + ": " + e.getMessage());
        } catch (GatewayException e) {
            return failed(instance, PROCESSING_FAILURE, e.getMessage());
        }
    }

    /** Compressed instances, and SOP classes the pooled associations do not propose, on an association of their own. */
    private int storeOnItsOwnAssociation(SpooledInstance instance) {
        DimseAssociation association = DimseAssociation.open(ae, StoreExchange.contextsFor(instance));
        try {
            return StoreExchange.store(association, instance);
        } finally {
            if (association.isUsable()) {
                association.release();
            } else {
                association.abort();
            }
        }
    }

    private static StowResult.Failed failed(SpooledInstance instance, int reason, String why) {
        return new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), reason, why);
    }

    private void known(StowResult.Failed failure) {
        outcomes.known(failure);
    }

    @Override
    public void reject(String why) {
        outcomes.rejected(why);
    }

    @Override
    public void bodyFailed(String why) {
        outcomes.bodyFailed(why);
    }

    @Override
    public StowResult finish() {
        if (result == null) {
            result = awaitOutcomes();
        }
        return result;
    }

    /**
     * Each store is waited for at most its deadline: a C-STORE without an answer by then is reported failed (never
     * stored), and its task, still bounded by the association's timeouts, frees its part when it ends.
     */
    private StowResult awaitOutcomes() {
        return outcomes.result(storeDeadlineMs);
    }

    @Override
    public void close() {
        finish(); // C-STOREs under way are let finish (bounded): an instance the PACS answered for is reported so
    }

    private void discard(SpooledPart part) {
        try {
            part.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, ae.aet() + ": cannot delete a spooled part", e);
        }
    }
}
