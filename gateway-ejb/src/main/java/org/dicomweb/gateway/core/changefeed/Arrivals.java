package org.dicomweb.gateway.core.changefeed;

import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * Store transactions whose stored instances enter the change feed: {@link #begin} opens one on the AE's backend and
 * fires {@link InstancesArrived} with what {@code finish()} reports stored (STOW-RS through the gateway, the Storage
 * SCP's ingest). A retrieval task's delivery fires the event itself, with its task's id.
 */
@ApplicationScoped
public class Arrivals {

    @Inject
    BackendRegistry registry;

    @Inject
    Event<InstancesArrived> arrived;

    /** A store transaction into {@code aet} (any backend) whose stored instances arrive with {@code origin}. */
    public StowTransaction begin(String aet, String studyUid, String origin) {
        return new Recorded(registry.backend(aet).services().stow().begin(aet, studyUid), aet, origin);
    }

    /** Passes everything on, and announces the stored instances once {@code finish()} knows them. */
    private final class Recorded implements StowTransaction {
        private final StowTransaction transaction;
        private final String aet;
        private final String origin;

        Recorded(StowTransaction transaction, String aet, String origin) {
            this.transaction = transaction;
            this.aet = aet;
            this.origin = origin;
        }

        @Override
        public void add(InputStream part) throws IOException {
            transaction.add(part);
        }

        @Override
        public void reject(String why) {
            transaction.reject(why);
        }

        @Override
        public void bodyFailed(String why) {
            transaction.bodyFailed(why);
        }

        @Override
        public StowResult finish() {
            StowResult result = transaction.finish();
            arrived.fire(new InstancesArrived(aet, origin, null, result.stored()));
            return result;
        }

        @Override
        public void close() {
            transaction.close();
        }
    }
}
