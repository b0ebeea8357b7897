package org.dicomweb.gateway.backend.dimse.store;

import org.dicomweb.gateway.backend.dimse.DimseDevice;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.core.dicom.SpooledInstance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * One STOW-RS request stored by C-STORE: parts spooled (memory or file), stored in parallel (bounded), then freed.
 * Each part gets exactly one outcome, in the order of the body: a failure found while reading it, or what its store
 * task says. A store task owns its spooled part from submission on and frees it itself when it ends, so a request that
 * ends early (interrupted, timed out) never hands back memory a C-STORE is still reading.
 */
public final class DimseStowTransaction implements StowTransaction {

    /** Failure reasons of PS3.18 §10.5.3 / PS3.4 B.2.3 that the gateway itself gives. */
    static final int PROCESSING_FAILURE = 0x0110;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** The instance belongs to another study than the request's path names (as dcm4chee-arc answers it). */
    static final int STUDY_UID_MISMATCH = 0xC409;
    private static final Logger LOG = Logger.getLogger(DimseStowTransaction.class.getName());

    /** A part's outcome: the value of its store task (or already known), with the UIDs to report if it never ends. */
    private record Entry(Future<Object> outcome, String sopClassUid, String sopInstanceUid) {
    }

    private final RemoteAe ae;
    private final String studyUid;
    private final DimseDevice device;
    private final Path spool;
    private final Semaphore inFlight;
    private final SpoolBudget budget;
    /** How long one C-STORE may take, from a wait for a store slot to the PACS's response. */
    private final long storeDeadlineMs;
    private final List<Entry> entries = new ArrayList<>();
    private StowResult result;

    public DimseStowTransaction(RemoteAe ae, String studyUid, DimseDevice device, Path spool, SpoolBudget budget,
            int parallelStores) {
        this.ae = ae;
        this.budget = budget;
        this.studyUid = studyUid;
        this.device = device;
        this.spool = spool;
        this.inFlight = new Semaphore(parallelStores);
        this.storeDeadlineMs = 2L * ae.poolWaitTimeoutMs() + ae.connectTimeoutMs() + 3L * ae.dimseTimeoutMs();
    }

    @Override
    public void add(InputStream part) throws IOException {
        String number = "part " + (entries.size() + 1);
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
        if (studyUid != null && !studyUid.equals(instance.studyUid())) {
            discard(spooled);
            known(new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), STUDY_UID_MISMATCH,
                    "belongs to study " + instance.studyUid() + ", not " + studyUid));
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
        entries.add(new Entry(outcome, instance.sopClassUid(), instance.sopInstanceUid()));
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
        entries.add(new Entry(CompletableFuture.completedFuture(failure), failure.sopClassUid(),
                failure.sopInstanceUid()));
    }

    @Override
    public void reject(String why) {
        known(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, "part " + (entries.size() + 1) + " " + why));
    }

    @Override
    public void bodyFailed(String why) {
        known(StowResult.Failed.unparsed(CANNOT_UNDERSTAND, why));
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
        List<StowResult.Stored> stored = new ArrayList<>();
        List<StowResult.Failed> failed = new ArrayList<>();
        for (Entry entry : entries) {
            Object outcome;
            try {
                outcome = entry.outcome().get(storeDeadlineMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                outcome = new StowResult.Failed(entry.sopClassUid(), entry.sopInstanceUid(), PROCESSING_FAILURE,
                        ae.aet() + ": no C-STORE response within " + storeDeadlineMs + " ms");
            } catch (ExecutionException e) {
                outcome = new StowResult.Failed(entry.sopClassUid(), entry.sopInstanceUid(), PROCESSING_FAILURE,
                        String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new StowResult.Failed(entry.sopClassUid(), entry.sopInstanceUid(), PROCESSING_FAILURE,
                        "the request was interrupted before " + ae.aet() + " answered");
            }
            if (outcome instanceof StowResult.Stored s) {
                stored.add(s);
            } else {
                failed.add((StowResult.Failed) outcome);
            }
        }
        List<String> studies = stored.stream().map(StowResult.Stored::studyUid).distinct().toList();
        String study = studyUid != null ? studyUid : studies.size() == 1 ? studies.get(0) : null;
        return new StowResult(study, List.copyOf(stored), List.copyOf(failed));
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
