package org.dicomweb.gateway.backend.dimse.query;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * The matches of a {@link SearchPlan}, one at a time, on one association. With a single-level plan it is the C-FIND's
 * own stream. With a hierarchical plan the upper levels are read whole (one association carries one C-FIND at a time)
 * and the last level is streamed, once per match above it; each match carries the attributes of its parents.
 */
public final class MatchStream {

    private final DimseAssociation association;
    private final List<SearchPlan.LevelQuery> chain;
    /** Per upper level: the remaining matches of its current C-FIND, and the parent they belong to. */
    private final List<Iterator<AttributeList>> upper = new ArrayList<>();
    private final List<AttributeList> upperParent = new ArrayList<>();
    private FindExchange current;
    private AttributeList currentParent;
    private boolean exhausted;
    private boolean singleQueryStarted;

    public MatchStream(DimseAssociation association, SearchPlan.QueryChain queries) {
        this.association = association;
        this.chain = queries.on(association);
        for (int i = 0; i < chain.size() - 1; i++) {
            upper.add(null);
            upperParent.add(null);
        }
    }

    /** The next match, or null when there are no more. */
    public AttributeList next() {
        while (!exhausted) {
            if (current != null) {
                AttributeList match = current.next();
                if (match != null) {
                    return withParent(match, currentParent);
                }
                current = null;
            }
            currentParent = nextParent();
            if (currentParent == null) {
                exhausted = true;
                return null;
            }
            current = FindExchange.start(association, identifier(chain.size() - 1, currentParent));
        }
        return null;
    }

    /** The next match of the level above the matches; for a single-level plan, one empty parent. */
    private AttributeList nextParent() {
        if (chain.size() > 1) {
            return nextAt(chain.size() - 2);
        }
        if (singleQueryStarted) {
            return null;
        }
        singleQueryStarted = true;
        return new AttributeList();
    }

    /** Whether the PACS has already sent more than the matches read so far: {@link #next} will not wait for it. */
    boolean hasBufferedInput() {
        return association.reader().hasBufferedInput();
    }

    /** Stops the C-FIND in progress, if any (C-CANCEL). */
    void cancel() {
        exhausted = true;
        if (current != null) {
            current.cancel();
            current = null;
        }
    }

    /** The next match at upper level {@code index}, with its parents' attributes; null when that level is done. */
    private AttributeList nextAt(int index) {
        while (true) {
            Iterator<AttributeList> matches = upper.get(index);
            if (matches != null && matches.hasNext()) {
                return withParent(matches.next(), upperParent.get(index));
            }
            if (matches != null && index == 0) {
                return null;
            }
            AttributeList parent = index == 0 ? new AttributeList() : nextAt(index - 1);
            if (parent == null) {
                return null;
            }
            upperParent.set(index, parent);
            upper.set(index, readAll(identifier(index, parent)).iterator());
        }
    }

    private List<AttributeList> readAll(AttributeList identifier) {
        FindExchange find = FindExchange.start(association, identifier);
        List<AttributeList> matches = new ArrayList<>();
        for (AttributeList match = find.next(); match != null; match = find.next()) {
            matches.add(match);
        }
        return matches;
    }

    /** The level's identifier, narrowed to the parent match by the unique keys of the levels above it. */
    private AttributeList identifier(int index, AttributeList parent) {
        SearchPlan.LevelQuery query = chain.get(index);
        AttributeList identifier = new AttributeList();
        identifier.putAll(query.identifier());
        copy(parent, identifier, TagFromName.StudyInstanceUID);
        if (query.level() == QueryLevel.IMAGE) {
            copy(parent, identifier, TagFromName.SeriesInstanceUID);
        }
        return identifier;
    }

    private static void copy(AttributeList from, AttributeList to, AttributeTag tag) {
        String uid = Attribute.getSingleStringValueOrNull(from, tag);
        if (uid != null) {
            try {
                Attribute attribute = AttributeFactory.newAttribute(tag);
                attribute.addValue(uid);
                to.put(attribute); // a new attribute: the plan's identifier is shared by every query of its level
            } catch (DicomException e) {
                throw new IllegalStateException("cannot set " + tag + " to " + uid, e);
            }
        }
    }

    /** The match with every attribute of its parent that it does not have itself. */
    private static AttributeList withParent(AttributeList match, AttributeList parent) {
        for (Attribute attribute : parent.values()) {
            if (!match.containsKey(attribute.getTag()) && !attribute.getTag().equals(TagFromName.QueryRetrieveLevel)) {
                match.put(attribute);
            }
        }
        return match;
    }
}
