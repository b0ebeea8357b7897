package org.dicomweb.gateway.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
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
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/** One STOW-RS request stored by C-STORE: parts spooled to files, stored in parallel (bounded), files deleted. */
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
    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    private final List<StowResult.Stored> stored = Collections.synchronizedList(new ArrayList<>());
    private final List<StowResult.Failed> failed = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unreadable = Collections.synchronizedList(new ArrayList<>());

    DimseStowTransaction(RemoteAe ae, String studyUid, DimseDevice device, Path spool, int parallelStores) {
        this.ae = ae;
        this.studyUid = studyUid;
        this.device = device;
        this.spool = spool;
        this.inFlight = new Semaphore(parallelStores);
    }

    @Override
    public void add(InputStream part) throws IOException {
        Path file = Files.createTempFile(spool, "part-", ".dcm");
        files.add(file);
        try (OutputStream out = Files.newOutputStream(file)) {
            part.transferTo(out);
        }
        SpooledInstance instance;
        try {
            instance = SpooledInstance.read(file);
        } catch (SpooledInstance.Unreadable e) {
            delete(file);
            if (e.sopInstanceUid == null) {
                unreadable.add(e.getMessage());
            } else {
                failed.add(new StowResult.Failed(e.sopClassUid, e.sopInstanceUid, CANNOT_UNDERSTAND, e.getMessage()));
            }
            return;
        }
        if (studyUid != null && !studyUid.equals(instance.studyUid())) {
            delete(file);
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
                    delete(instance.file());
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
        files.forEach(DimseStowTransaction::delete);
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

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file, e);
        }
    }
}
