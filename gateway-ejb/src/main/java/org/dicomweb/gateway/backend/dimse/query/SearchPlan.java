package org.dicomweb.gateway.backend.dimse.query;

import java.util.ArrayList;
import java.util.List;

import com.pixelmed.dicom.AttributeList;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.config.RelationalQueries;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * A QIDO-RS search turned into C-FINDs ({@link QueryChain}). {@code fuzzyMatchingWarning}: set when the client asked
 * for fuzzy matching, which happens only where the PACS accepted it in extended negotiation.
 */
public record SearchPlan(QueryChain chain, int limit, int offset, List<String> warnings, String fuzzyMatchingWarning) {

    /** The C-FIND identifier for one level: its match keys, return keys and the unique keys of the levels above. */
    record LevelQuery(QueryLevel level, AttributeList identifier) {
    }

    /**
     * The queries of a search, both ways: {@code relational} is a single query (relational queries, PS3.4
     * C.4.1.2.2); {@code hierarchical} has one query per level from the top of the search down to the level of the
     * matches, each run once per match of the level above it (PS3.4 C.4.1.3.1). They are the same when path UIDs fix
     * the upper levels. Which one runs depends on the AE's setting and on what its association negotiated.
     */
    record QueryChain(List<LevelQuery> relational, List<LevelQuery> hierarchical, RelationalQueries mode) {

        List<LevelQuery> on(DimseAssociation association) {
            return levels(mode.used(association.queryNegotiation().relationalQueries()));
        }

        List<LevelQuery> levels(boolean relationalQueries) {
            return relationalQueries ? relational : hierarchical;
        }
    }

    /** The warnings for the client once the search ran on an association that negotiated {@code negotiated}. */
    List<String> warningsOn(QueryNegotiation negotiated) {
        if (fuzzyMatchingWarning == null || negotiated.fuzzyMatching()) {
            return warnings;
        }
        List<String> all = new ArrayList<>(warnings);
        all.add(fuzzyMatchingWarning);
        return List.copyOf(all);
    }

    QueryLevel matchLevel() {
        List<LevelQuery> levels = chain.hierarchical();
        return levels.get(levels.size() - 1).level();
    }
}
