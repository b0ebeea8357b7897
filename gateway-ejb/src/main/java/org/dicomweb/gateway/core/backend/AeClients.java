package org.dicomweb.gateway.core.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

import org.dicomweb.gateway.error.UnknownAeException;

/**
 * A backend's client of each of its AEs (an upstream's HTTP client, a bucket's S3 client), made from the AE's settings
 * (a record) and replaced when a configuration reload changes them: the old client takes no new requests, and is closed once the requests it serves have ended
 * (all its slots free), so a request in flight finishes on the settings it started with; at the latest after
 * {@link #DRAIN_MINUTES}, when whatever still runs on it is cut.
 */
public final class AeClients<S, C extends AeClients.Client<S>> implements AutoCloseable {

    /** A client made from settings {@code S}, whose every exchange holds one of its slots. */
    public interface Client<S> extends AutoCloseable {
        S settings();

        OperationSlots slots();

        @Override
        void close();
    }

    static final long DRAIN_MINUTES = 10;
    private static final Logger LOG = Logger.getLogger(AeClients.class.getName());

    private final Executor executor;
    private final Set<C> retiring = ConcurrentHashMap.newKeySet();
    private volatile Map<String, C> clients = Map.of();

    /** {@code executor}: where retired clients wait for their requests to end (a thread each, while they do). */
    public AeClients(Executor executor) {
        this.executor = executor;
    }

    /** The AE's client; 404 (UnknownAeException) for an AE not served by this backend. */
    public C of(String aet) {
        C client = clients.get(aet);
        if (client == null) {
            throw new UnknownAeException(aet);
        }
        return client;
    }

    /**
     * Serves the AEs of {@code settings} (in its order) from now on: an AE whose settings are equal to its client's
     * keeps that client, the others get one {@code opener} makes; the clients no longer served are retired.
     */
    public synchronized void update(Map<String, S> settings, Function<S, C> opener) {
        Map<String, C> previous = clients;
        Map<String, C> next = new LinkedHashMap<>();
        settings.forEach((aet, wanted) -> {
            C old = previous.get(aet);
            next.put(aet, old != null && old.settings().equals(wanted) ? old : opener.apply(wanted));
        });
        clients = Collections.unmodifiableMap(next);
        previous.forEach((aet, client) -> {
            if (next.get(aet) != client) {
                retire(aet, client);
            }
        });
    }

    private void retire(String aet, C client) {
        retiring.add(client);
        Runnable drain = () -> {
            try {
                if (!client.slots().awaitIdle(TimeUnit.MINUTES.toMillis(DRAIN_MINUTES))) {
                    LOG.warning(aet + ": requests on its previous configuration still running after " + DRAIN_MINUTES
                            + " minutes are cut");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // undeployment: closed at once
            } finally {
                client.close();
                retiring.remove(client);
            }
        };
        try {
            executor.execute(drain);
        } catch (RejectedExecutionException full) {
            LOG.warning(aet + ": no thread to wait for the requests on its previous configuration; closed at once");
            client.close();
            retiring.remove(client);
        }
    }

    /** Closes every client, those still draining too (undeployment). */
    @Override
    public void close() {
        clients.values().forEach(C::close);
        retiring.forEach(C::close);
    }
}
