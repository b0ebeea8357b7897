package org.dicomweb.gateway.aets;

import java.util.List;
import java.util.Map;

/**
 * What the gateway tells clients about one configured AE: the backend serving it, that backend's own settings worth
 * showing (for DIMSE host, port and calling AE title; for a DICOMweb upstream its URL; values are strings or numbers,
 * never credentials), and for DIMSE the state of its association pools: the query pool first, then each other pool
 * opened so far (fuzzy query, store, retrieve per set of transfer syntaxes). Each pool is bounded on its own, so the
 * associations open to a PACS at once can reach the sum of their sizes.
 */
public record AeDescription(String aet, String backend, Map<String, Object> settings, List<PoolState> pools) {
}
