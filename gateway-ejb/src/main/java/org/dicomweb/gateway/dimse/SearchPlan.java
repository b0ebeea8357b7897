package org.dicomweb.gateway.dimse;

import java.util.List;

import com.pixelmed.dicom.AttributeList;

import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * A QIDO-RS search turned into C-FINDs. {@code chain} has one query per level from the top of the search down to the
 * level of the matches: a single query when the PACS accepts it in one go (path UIDs fix the upper levels, or the
 * PACS is configured for relational queries); otherwise one level after the other, each query run once per match of
 * the level above it (hierarchical queries, PS3.4 C.4.1.3.1).
 */
record SearchPlan(List<LevelQuery> chain, int limit, int offset, List<String> warnings) {

    /** The C-FIND identifier for one level: its match keys, return keys and the unique keys of the levels above. */
    record LevelQuery(QueryLevel level, AttributeList identifier) {
    }

    QueryLevel matchLevel() {
        return chain.get(chain.size() - 1).level();
    }
}
