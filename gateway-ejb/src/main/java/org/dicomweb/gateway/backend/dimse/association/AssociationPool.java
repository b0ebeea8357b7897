package org.dicomweb.gateway.backend.dimse.association;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.dicomweb.gateway.backend.dimse.PoolStats;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * Bounded pool of associations to one remote AE. A permit per association bounds how many are open at once; callers
 * wait up to the AE's pool-wait timeout for one. Idle associations are reused most-recently-used first and released
 * (A-RELEASE) once idle longer than the idle timeout; an association that failed is aborted, never reused.
 * <p>
 * An idle association is checked before each reuse, from its socket and without waiting
 * ({@link DimseAssociation#closedByPeer}): one the PACS closed, aborted or released meanwhile (a PACS has idle
 * timeouts too, and restarts) is aborted and the next one tried, or a new one opened. One that stayed silent for longer
 * than the AE's {@code echo-after-idle-ms} is also asked a C-ECHO: time enough for the connection to have been lost
 * without a word (a host rebooted, a firewall that forgot it), which only a round trip shows.
 */
public final class AssociationPool implements AutoCloseable {

    private final RemoteAe ae;
    private final Function<RemoteAe, DimseAssociation> opener;
    private final int size;
    private final Semaphore permits;
    private final Deque<DimseAssociation> idle = new ArrayDeque<>();
    private final Set<DimseAssociation> inUse = new HashSet<>();
    private boolean closed;

    public AssociationPool(RemoteAe ae, int size, Function<RemoteAe, DimseAssociation> opener) {
        this.ae = ae;
        this.opener = opener;
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    public AssociationPool(RemoteAe ae, Function<RemoteAe, DimseAssociation> opener) {
        this(ae, ae.poolSize(), opener);
    }

    public AssociationPool(RemoteAe ae) {
        this(ae, remote -> DimseAssociation.open(remote, PresentationContexts.queryRetrieve(false)));
    }

    /**
     * Runs one DIMSE operation on a pooled association and gives the association back (or aborts it if the operation
     * failed on it). An idle association the PACS has closed, or that fails its C-ECHO after a long idle, is replaced
     * first (see the class comment), so an operation fails because of the PACS's answer to it, not a stale association.
     */
    public <T> T execute(Function<DimseAssociation, T> operation) {
        try (Lease lease = lease()) {
            return operation.apply(lease.association());
        }
    }

    /**
     * An association for an operation that may end on another thread than the one that began it (a search whose
     * writer gives it back as soon as the PACS's last response is read, not when the client has the whole answer).
     * Closing the lease gives the association back; the first close counts.
     */
    public Lease lease() {
        acquirePermit();
        try {
            return new Lease(validIdleOrNew());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** One association taken from the pool; {@link #close} gives it back (or aborts it if it failed). */
    public final class Lease implements AutoCloseable {

        private final DimseAssociation association;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(DimseAssociation association) {
            this.association = association;
        }

        public DimseAssociation association() {
            return association;
        }

        public boolean isReturned() {
            return returned.get();
        }

        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                try {
                    giveBack(association);
                } finally {
                    permits.release();
                }
            }
        }

        /**
         * Aborts the association unless the lease was closed already (then it may serve another operation by now):
         * for another thread than the one using it, whose next step on it then fails.
         */
        public void abort() {
            if (returned.compareAndSet(false, true)) {
                try {
                    association.abort();
                    giveBack(association);
                } finally {
                    permits.release();
                }
            }
        }
    }

    private DimseAssociation validIdleOrNew() {
        long echoAfterIdleNanos = TimeUnit.MILLISECONDS.toNanos(ae.echoAfterIdleMs());
        for (DimseAssociation idleOne = takeIdle(); idleOne != null; idleOne = takeIdle()) {
            if (idleOne.closedByPeer()) {
                giveBack(idleOne); // aborts it; try the next one
                continue;
            }
            if (idleOne.idleNanos() < echoAfterIdleNanos) {
                return idleOne;
            }
            try {
                idleOne.echo();
                return idleOne;
            } catch (PeerFailureException stale) {
                giveBack(idleOne); // aborts it; try the next one
            } catch (RuntimeException e) {
                giveBack(idleOne); // a PACS that does not answer now will not answer a new association either
                throw e;
            }
        }
        return openNew();
    }

    private void acquirePermit() {
        try {
            if (!permits.tryAcquire(ae.poolWaitTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw new PeerTimeoutException(ae.aet() + ": all " + size
                        + " associations busy for " + ae.poolWaitTimeoutMs() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerFailureException(ae.aet() + ": interrupted while waiting for an association", e);
        }
    }

    private synchronized DimseAssociation takeIdle() {
        checkOpen();
        DimseAssociation association = idle.pollFirst();
        if (association != null) {
            inUse.add(association);
        }
        return association;
    }

    private DimseAssociation openNew() {
        checkOpen();
        DimseAssociation association = opener.apply(ae);
        synchronized (this) {
            if (closed) {
                association.release();
                checkOpen();
            }
            inUse.add(association);
        }
        return association;
    }

    private void giveBack(DimseAssociation association) {
        boolean keep;
        synchronized (this) {
            inUse.remove(association);
            keep = !closed && association.isUsable();
            if (keep) {
                association.markIdle();
                idle.addFirst(association);
            }
        }
        if (!keep) {
            if (association.isUsable()) {
                association.release();
            } else {
                association.abort();
            }
        }
    }

    /** Releases associations idle for longer than the AE's idle timeout; called periodically. */
    public void evictIdle() {
        long limit = TimeUnit.MILLISECONDS.toNanos(ae.idleTimeoutMs());
        List<DimseAssociation> expired;
        synchronized (this) {
            expired = idle.stream().filter(a -> a.idleNanos() >= limit).toList();
            idle.removeAll(expired);
        }
        expired.forEach(DimseAssociation::release);
    }

    public synchronized PoolStats stats() {
        return new PoolStats(ae.aet(), idle.size() + inUse.size(), idle.size(), inUse.size(),
                permits.getQueueLength(), size);
    }

    /**
     * Takes no more operations (a configuration reload replaced it): idle associations are released now, those in use
     * once their operations give them back, so an operation under way ends on the association it has.
     */
    public void retire() {
        List<DimseAssociation> toRelease;
        synchronized (this) {
            closed = true;
            toRelease = List.copyOf(idle);
            idle.clear();
        }
        toRelease.forEach(DimseAssociation::release);
    }

    /** Whether a retired (or closed) pool has no association left open. */
    public synchronized boolean isDrained() {
        return closed && inUse.isEmpty() && idle.isEmpty();
    }

    /** Releases idle associations and aborts those in use, so no thread stays blocked on this PACS. */
    @Override
    public void close() {
        retire();
        List<DimseAssociation> toAbort;
        synchronized (this) {
            toAbort = List.copyOf(inUse);
        }
        toAbort.forEach(DimseAssociation::abort);
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new PeerFailureException(ae.aet() + ": its association pool was closed (the gateway is shutting"
                    + " down, or a configuration reload replaced the AE's settings)", null);
        }
    }
}
