package org.dicomweb.gateway.core.stow;

import static org.dicomweb.gateway.core.stow.StowOutcomes.CANNOT_UNDERSTAND;
import static org.dicomweb.gateway.core.stow.StowOutcomes.OUT_OF_RESOURCES;
import static org.dicomweb.gateway.core.stow.StowOutcomes.PROCESSING_FAILURE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * A STOW-RS request whose backend stores instances one by one (C-STORE, an object upload): parts spooled (memory or
 * file), stored in parallel (bounded), then freed. Each part gets exactly one outcome, in the order of the body: a
 * failure found while reading it, or what its store task says. A store task owns its spooled part from submission on
 * and frees it itself when it ends, so a request that ends early (interrupted, timed out) never hands back memory a
 * store is still reading.
 */
public abstract class SpooledStowTransaction implements StowTransaction {

    private static final Logger LOG = Logger.getLogger(SpooledStowTransaction.class.getName());

    private final String peer;
    private final Executor executor;
    private final SpoolBudget budget;
    private final Path spool;
    private final Semaphore inFlight;
    /** How long one store may take, from a wait for a store slot to the backend's answer. */
    private final long storeDeadlineMs;
    private final StowOutcomes outcomes;
    private StowResult result;

    /** {@code peer} names who stores, for messages; {@code studyUid} is the request path's study, or null. */
    protected SpooledStowTransaction(String peer, String studyUid, Executor executor, SpoolBudget budget, Path spool,
            int parallelStores, long storeDeadlineMs) {
        this.peer = peer;
        this.executor = executor;
        this.budget = budget;
        this.spool = spool;
        this.inFlight = new Semaphore(parallelStores);
        this.storeDeadlineMs = storeDeadlineMs;
        this.outcomes = new StowOutcomes(peer, studyUid);
    }

    /** Stores one instance (on an executor thread); returns a {@link StowResult.Stored} or a {@link StowResult.Failed}. */
    protected abstract Object store(SpooledInstance instance);

    @Override
    public void add(InputStream part) throws IOException {
        String number = outcomes.nextPart();
        SpooledPart spooled;
        try {
            spooled = SpooledPart.spool(part, budget, spool);
        } catch (IOException | RuntimeException e) {
            outcomes.known(StowResult.Failed.unparsed(PROCESSING_FAILURE, number + " could not be read: "
                    + e.getMessage()));
            throw e;
        }
        SpooledInstance instance;
        try {
            instance = SpooledInstance.read(spooled);
        } catch (SpooledInstance.Unreadable e) {
            discard(spooled);
            outcomes.known(e.sopInstanceUid == null
                    ? StowResult.Failed.unparsed(CANNOT_UNDERSTAND, number + ": " + e.getMessage())
                    : new StowResult.Failed(e.sopClassUid, e.sopInstanceUid, CANNOT_UNDERSTAND, e.getMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            discard(spooled);
            outcomes.known(StowResult.Failed.unparsed(PROCESSING_FAILURE, number + ": " + e.getMessage()));
            return;
        }
        if (outcomes.refusedForStudy(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid())) {
            discard(spooled);
            return;
        }
        submit(instance);
    }

    /** Queues the store; with no thread free, the reading thread stores it itself (back-pressure, no loss). */
    private void submit(SpooledInstance instance) {
        if (!acquireInFlight()) {
            discard(instance.part());
            outcomes.known(failed(instance, OUT_OF_RESOURCES, "no store to " + peer + " finished within "
                    + storeDeadlineMs + " ms to make room for it"));
            return;
        }
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                outcome.complete(store(instance));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, peer + ": the store task of " + instance.sopInstanceUid() + " failed", e);
                outcome.complete(failed(instance, PROCESSING_FAILURE, "the gateway failed to store it: " + e));
            } finally {
                discard(instance.part());
                inFlight.release();
            }
        };
        outcomes.pending(outcome, instance.sopClassUid(), instance.sopInstanceUid());
        try {
            executor.execute(task);
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

    protected static StowResult.Failed failed(SpooledInstance instance, int reason, String why) {
        return new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), reason, why);
    }

    @Override
    public void reject(String why) {
        outcomes.rejected(why);
    }

    @Override
    public void bodyFailed(String why) {
        outcomes.bodyFailed(why);
    }

    /**
     * Each store is waited for at most its deadline: one without an answer by then is reported failed (never
     * stored), and its task, still bounded by its backend's timeouts, frees its part when it ends.
     */
    @Override
    public StowResult finish() {
        if (result == null) {
            result = outcomes.result(storeDeadlineMs);
        }
        return result;
    }

    @Override
    public void close() {
        finish(); // stores under way are let finish (bounded): an instance the backend took is reported so
    }

    private void discard(SpooledPart part) {
        try {
            part.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, peer + ": cannot delete a spooled part", e);
        }
    }
}
