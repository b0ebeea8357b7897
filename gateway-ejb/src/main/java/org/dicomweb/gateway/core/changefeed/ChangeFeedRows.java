package org.dicomweb.gateway.core.changefeed;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.dicomweb.gateway.changefeed.ChangeFeedEntry;
import org.dicomweb.gateway.stow.StowResult;

/**
 * The change feed's transactions on change_feed (db/changefeed; go through {@link ChangeFeed}, which migrates the
 * schema first). Writers are serialised by a row lock on change_feed_writer held until they commit, so sequences
 * commit in their order: a reader that saw sequence N and asks for the entries after N never misses one that a slower
 * writer would otherwise have committed later with a lower sequence. The lock is held for one event's inserts only
 * (milliseconds), never across a store to a peer.
 */
@ApplicationScoped
public class ChangeFeedRows {

    @PersistenceContext(unitName = "changefeed")
    EntityManager em;

    /** One row per instance of the event, in one transaction of its own; the entries as committed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<ChangeFeedEntry> append(InstancesArrived event) {
        em.createNativeQuery("SELECT id FROM change_feed_writer WHERE id = 1 FOR UPDATE").getResultList();
        // Microseconds, what both databases keep: an entry read back equals the one published.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<ChangeFeedRow> rows = new ArrayList<>();
        for (StowResult.Stored stored : event.instances()) {
            ChangeFeedRow row = new ChangeFeedRow();
            row.recordedAt = now;
            row.aet = event.aet();
            row.origin = event.origin();
            row.taskId = event.taskId();
            row.studyInstanceUid = stored.studyUid();
            row.seriesInstanceUid = stored.seriesUid();
            row.sopInstanceUid = stored.sopInstanceUid();
            row.sopClassUid = stored.sopClassUid();
            em.persist(row); // an identity column: inserted now, under the lock
            rows.add(row);
        }
        return rows.stream().map(ChangeFeedRow::entry).toList();
    }

    @Transactional
    public List<ChangeFeedEntry> after(long after, int limit) {
        return em.createQuery("SELECT r FROM ChangeFeedRow r WHERE r.sequence > :after ORDER BY r.sequence",
                        ChangeFeedRow.class)
                .setParameter("after", after).setMaxResults(limit).getResultStream().map(ChangeFeedRow::entry)
                .toList();
    }

    @Transactional
    public Optional<ChangeFeedEntry> latest() {
        return em.createQuery("SELECT r FROM ChangeFeedRow r ORDER BY r.sequence DESC", ChangeFeedRow.class)
                .setMaxResults(1).getResultStream().findFirst().map(ChangeFeedRow::entry);
    }
}
