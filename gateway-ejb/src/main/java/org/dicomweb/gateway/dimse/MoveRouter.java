package org.dicomweb.gateway.dimse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.dicomweb.gateway.config.MoveRouting;

/**
 * Matches each C-STORE arriving at the Storage SCP to the C-MOVE waiting for it: by Move Originator Message ID and
 * AE title (PS3.7 §9.1.1.1); for PACS configured as leaving those out, by the SOP Instance UIDs the retrieval expects,
 * or to the one sequential C-MOVE of that PACS. An instance nobody waits for is refused, never acknowledged.
 */
public final class MoveRouter {

    private final Map<Integer, MoveRetrieval> byMessageId = new ConcurrentHashMap<>();

    void register(MoveRetrieval retrieval) {
        if (byMessageId.putIfAbsent(retrieval.messageId(), retrieval) != null) {
            throw new IllegalStateException("two C-MOVEs with message ID " + retrieval.messageId());
        }
    }

    void unregister(MoveRetrieval retrieval) {
        byMessageId.remove(retrieval.messageId(), retrieval);
    }

    /** The retrieval an incoming instance belongs to, or null. */
    MoveRetrieval route(String originatorAet, int originatorMessageId, String callingAet, String sopInstanceUid) {
        MoveRetrieval byOriginator = byMessageId.get(originatorMessageId);
        if (byOriginator != null && byOriginator.routing() == MoveRouting.ORIGINATOR
                && byOriginator.originatorAet().equals(originatorAet)) {
            return byOriginator;
        }
        for (MoveRetrieval retrieval : byMessageId.values()) {
            if (retrieval.routing() == MoveRouting.INSTANCE_UIDS && retrieval.expects(sopInstanceUid)) {
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
