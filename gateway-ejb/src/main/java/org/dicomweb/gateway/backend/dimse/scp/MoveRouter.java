package org.dicomweb.gateway.backend.dimse.scp;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.retrieve.MoveRetrieval;
import org.dicomweb.gateway.error.PeerTimeoutException;

/**
 * Matches each C-STORE arriving at the Storage SCP to the C-MOVE waiting for it: by Move Originator Message ID and
 * AE title (PS3.7 §9.1.1.1); for PACS configured as leaving those out, by the SOP Instance UIDs the retrieval expects,
 * or to the one sequential C-MOVE of that PACS. An instance nobody waits for is refused, never acknowledged.
 */
public final class MoveRouter {

    private final Map<Integer, MoveRetrieval> byMessageId = new ConcurrentHashMap<>();

    /**
     * Makes a retrieval routable. Two C-MOVEs routed by instance UIDs that expect the same instance could not tell
     * whose copy arrives, so the later one waits (at most waitMs) until the earlier is done.
     */
    public synchronized void register(MoveRetrieval retrieval, long waitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (overlapsRunning(retrieval)) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new PeerTimeoutException(retrieval.aet() + ": another C-MOVE of the same instances still runs"
                        + " after " + waitMs + " ms (routed by instance UIDs, so overlapping C-MOVEs run in turn)",
                        null);
            }
            try {
                wait(leftMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerTimeoutException(retrieval.aet() + ": interrupted while waiting for a C-MOVE", e);
            }
        }
        if (byMessageId.putIfAbsent(retrieval.messageId(), retrieval) != null) {
            throw new IllegalStateException("two C-MOVEs with message ID " + retrieval.messageId());
        }
    }

    public synchronized void unregister(MoveRetrieval retrieval) {
        byMessageId.remove(retrieval.messageId(), retrieval);
        notifyAll();
    }

    private boolean overlapsRunning(MoveRetrieval retrieval) {
        return retrieval.routing() == MoveRouting.INSTANCE_UIDS && byMessageId.values().stream().anyMatch(
                running -> running.routing() == MoveRouting.INSTANCE_UIDS
                        && !Collections.disjoint(running.expectedInstances(), retrieval.expectedInstances()));
    }

    /** The retrieval an incoming instance belongs to, or null. */
    MoveRetrieval route(String originatorAet, int originatorMessageId, String callingAet, String sopInstanceUid) {
        MoveRetrieval byOriginator = byMessageId.get(originatorMessageId);
        if (byOriginator != null && byOriginator.routing() == MoveRouting.ORIGINATOR
                && byOriginator.originatorAet().equals(originatorAet)) {
            return byOriginator;
        }
        for (MoveRetrieval retrieval : byMessageId.values()) {
            if (retrieval.routing() == MoveRouting.INSTANCE_UIDS
                    && retrieval.expectedInstances().contains(sopInstanceUid)) {
                return retrieval;
            }
        }
        for (MoveRetrieval retrieval : byMessageId.values()) {
            if (retrieval.routing() == MoveRouting.SEQUENTIAL && retrieval.sentBy(callingAet)) {
                return retrieval;
            }
        }
        return null;
    }
}
