package org.dicomweb.gateway.aets;

import java.util.List;

/**
 * What the gateway tells clients about one configured PACS, with the state of its association pools: the query pool
 * first, then each other pool opened so far (fuzzy query, store, retrieve per set of transfer syntaxes). Each pool is
 * bounded on its own, so the associations open to the PACS at once can reach the sum of their sizes.
 */
public record AeDescription(String aet, String host, int port, String callingAet, List<PoolState> pools) {

    /** The pool of ordinary C-FIND (and C-ECHO) associations. */
    public PoolState queryPool() {
        return pools.get(0);
    }
}
