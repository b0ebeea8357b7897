package org.dicomweb.gateway.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.config.RemoteAe;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.spool.SpoolBudget;
import org.dicomweb.gateway.spool.SpooledPart;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/** One STOW-RS request stored by C-STORE: parts spooled (memory or file), stored in parallel (bounded), then freed. */
final class DimseStowTransaction implements StowTransaction {

    /** Failure reasons of PS3.18 §10.5.3 / PS3.4 B.2.3 that the gateway itself gives. */
    static final int PROCESSING_FAILURE = 0x0110;
    static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** The instance belongs to another study than the request's path names (as dcm4chee-arc answers it). */
    static final int STUDY_UID_MISMATCH = 0xC409;
    private static final Logger LOG = Logger.getLogger(DimseStowTransaction.class.getName());

    private final RemoteAe ae;
    private final String studyUid;
    private final DimseDevice device;
    private final Path spool;
    private final Semaphore inFlight;
    private final List<Future<?>> stores = new ArrayList<>();
    private final SpoolBudget budget;
    private final Set<SpooledPart> parts = ConcurrentHashMap.newKeySet();
    private final List<StowResult.Stored> stored = Collections.synchronizedList(new ArrayList<>());
    private final List<StowResult.Failed> failed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unreadable = Collections.synchronizedList(new ArrayList<>());

    DimseStowTransaction(RemoteAe ae, String studyUid, DimseDevice device, Path spool, SpoolBudget budget,
            int parallelStores) {
        this.ae = ae;
        this.budget = budget;
        this.studyUid = studyUid;
        this.device = device;
        this.spool = spool;
        this.inFlight = new Semaphore(parallelStores);
    }

    @Override
    public void add(InputStream part) throws IOException {
        SpooledPart spooled = SpooledPart.spool(part, budget, spool);
        parts.add(spooled);
        SpooledInstance instance;
        try {
            instance = SpooledInstance.read(spooled);
        } catch (SpooledInstance.Unreadable e) {
            discard(spooled);
            if (e.sopInstanceUid == null) {
                unreadable.add(e.getMessage());
            } else {
                failed.add(new StowResult.Failed(e.sopClassUid, e.sopInstanceUid, CANNOT_UNDERSTAND, e.getMessage()));
            }
            return;
        }
        if (studyUid != null && !studyUid.equals(instance.studyUid())) {
            discard(spooled);
            failed.add(new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), STUDY_UID_MISMATCH,
                    "belongs to study " + instance.studyUid() + ", not " + studyUid));
            return;
        }
        inFlight.acquireUninterruptibly(); // at most that many spooled instances wait for the PACS
        try {
            stores.add(device.executor().submit(() -> {
                try {
                    store(instance);
                } finally {
                    discard(spooled);
                    inFlight.release();
                }
            }));
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
    }

    private void store(SpooledInstance instance) {
        try {
            int status = StoreExchange.fitsPooledAssociation(instance)
                    ? device.storePool(ae.aet()).execute(association -> StoreExchange.store(association, instance))
                    : storeOnItsOwnAssociation(instance);
            if (status == 0 || (status & 0xF000) == 0xB000) {
                stored.add(new StowResult.Stored(instance.sopClassUid(), instance.sopInstanceUid(),
                        instance.studyUid(), instance.seriesUid(), status == 0 ? null : status));
            } else {
                failed.add(new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), status,
                        ae.aet() + " answered the C-STORE with status 0x" + Integer.toHexString(status)));
            }
        } catch (StoreExchange.NotAcceptedException e) {
            failed.add(new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(),
                    SOP_CLASS_NOT_SUPPORTED, ae.aet() + ": " + e.getMessage()));
        } catch (GatewayException e) {
            failed.add(new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), PROCESSING_FAILURE,
                    e.getMessage()));
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

    @Override
    public void reject(String why) {
        unreadable.add(why);
    }

    @Override
    public StowResult finish() {
        awaitStores();
        List<String> studies = stored.stream().map(StowResult.Stored::studyUid).distinct().toList();
        String study = studyUid != null ? studyUid : studies.size() == 1 ? studies.get(0) : null;
        return new StowResult(study, List.copyOf(stored), List.copyOf(failed), List.copyOf(unreadable));
    }

    @Override
    public void close() {
        awaitStores();
        parts.forEach(this::discard);
    }

    /** C-STOREs under way are let finish: an instance the PACS answered for must be reported as it answered. */
    private void awaitStores() {
        for (Future<?> store : stores) {
            try {
                store.get();
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, ae.aet() + ": a C-STORE task failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Frees a part's memory or deletes its file, once: the store task and {@link #close} may both get here. */
    private void discard(SpooledPart part) {
        if (parts.remove(part)) {
            try {
                part.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, ae.aet() + ": cannot delete a spooled part", e);
            }
        }
    }
}
