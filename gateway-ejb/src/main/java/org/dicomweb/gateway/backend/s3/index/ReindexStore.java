package org.dicomweb.gateway.backend.s3.index;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.dicomweb.gateway.reindex.ReindexStatus;
import org.dicomweb.gateway.reindex.ReindexStatus.State;

/**
 * The reindex's transactions (go through {@link InstanceIndex#call}): its row in s3_reindex, which every node reads,
 * and the questions it asks of the instance rows. Each is short; none holds a lock across S3 requests.
 */
@ApplicationScoped
public class ReindexStore {

    /** A RUNNING row without progress for this long belongs to a run whose node stopped: it may be started again. */
    public static final Duration STALE = Duration.ofMinutes(5);

    /** The longest message the column holds. */
    public static final int MESSAGE_LENGTH = 1000;

    @PersistenceContext(unitName = "s3-index")
    EntityManager em;

    /** The AE's running or last run; a RUNNING one without progress for {@link #STALE} shows as FAILED. */
    @Transactional
    public Optional<ReindexStatus> status(String aet) {
        ReindexRow row = em.find(ReindexRow.class, aet);
        if (row == null) {
            return Optional.empty();
        }
        State state = State.valueOf(row.state);
        String message = row.message;
        if (state == State.RUNNING && stale(row, Instant.now())) {
            state = State.FAILED;
            message = "no progress since " + row.heartbeat + ": the node running it stopped; it may be started again";
        }
        return Optional.of(new ReindexStatus(row.aet, state, row.started, row.finished, row.listed, row.indexed,
                row.unchanged, row.failed, row.removed, message));
    }

    /**
     * Makes the AE's row that of a new run ({@code first}, RUNNING), unless a live run holds it: false then. Two
     * nodes inserting the first row of an AE at once: one fails on the primary key.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claim(ReindexStatus first, String runId) {
        ReindexRow row = em.find(ReindexRow.class, first.aet());
        if (row == null) {
            row = new ReindexRow();
            row.aet = first.aet();
            write(row, first, runId);
            em.persist(row);
            em.flush();
            return true;
        }
        int claimed = em.createQuery("update ReindexRow r set r.state = :running, r.started = :started,"
                        + " r.finished = null, r.listed = 0, r.indexed = 0, r.unchanged = 0, r.failed = 0,"
                        + " r.removed = 0, r.message = null, r.heartbeat = :started, r.runId = :run"
                        + " where r.aet = :aet and (r.state <> :running or r.heartbeat is null or r.heartbeat < :stale)")
                .setParameter("running", State.RUNNING.name())
                .setParameter("started", first.started())
                .setParameter("run", runId)
                .setParameter("aet", first.aet())
                .setParameter("stale", first.started().minus(STALE))
                .executeUpdate();
        return claimed == 1;
    }

    /** The run's counts (and end); false if the row is another run's now, which this one must leave alone. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean record(ReindexStatus status, String runId) {
        ReindexRow row = em.find(ReindexRow.class, status.aet());
        if (row == null || !runId.equals(row.runId)) {
            return false;
        }
        write(row, status, runId);
        return true;
    }

    private static void write(ReindexRow row, ReindexStatus status, String runId) {
        row.state = status.state().name();
        row.started = status.started();
        row.finished = status.finished();
        row.listed = status.listed();
        row.indexed = status.indexed();
        row.unchanged = status.unchanged();
        row.failed = status.failed();
        row.removed = status.removed();
        row.message = status.message() == null || status.message().length() <= MESSAGE_LENGTH ? status.message()
                : status.message().substring(0, MESSAGE_LENGTH - 3) + "...";
        row.heartbeat = Instant.now();
        row.runId = runId;
    }

    private static boolean stale(ReindexRow row, Instant now) {
        return row.heartbeat == null || row.heartbeat.isBefore(now.minus(STALE));
    }

    /** Of {@code keys}, those of CREATED instances, with the ETag the index has for each. */
    @Transactional
    public Map<String, String> createdEtags(String aet, Collection<String> keys) {
        Map<String, String> etags = new HashMap<>();
        if (keys.isEmpty()) {
            return etags;
        }
        for (Object[] row : em.createQuery("select i.objectKey, i.etag from InstanceRow i where i.aet = :aet"
                        + " and i.state = :created and i.objectKey in :keys", Object[].class)
                .setParameter("aet", aet).setParameter("created", InstanceRow.State.CREATED)
                .setParameter("keys", keys).getResultList()) {
            etags.put((String) row[0], (String) row[1]);
        }
        return etags;
    }

    /** A row and its object's key. */
    public record KeyedRow(long pk, String key) {
    }

    /** A page of the AE's instance rows (any state) last written before {@code before}, in pk order after a pk. */
    @Transactional
    public List<KeyedRow> rowsBefore(String aet, Instant before, long afterPk, int size) {
        return em.createQuery("select i.pk, i.objectKey from InstanceRow i where i.aet = :aet and i.pk > :after"
                        + " and i.updated < :before order by i.pk", Object[].class)
                .setParameter("aet", aet).setParameter("after", afterPk).setParameter("before", before)
                .setMaxResults(size).getResultList().stream()
                .map(row -> new KeyedRow((Long) row[0], (String) row[1])).toList();
    }

    /** Removes these instance rows of the AE (at most a thousand: one IN list); returns how many went. */
    @Transactional
    public int remove(String aet, List<Long> instancePks) {
        return instancePks.isEmpty() ? 0
                : em.createQuery("delete from InstanceRow i where i.aet = :aet and i.pk in :pks")
                        .setParameter("aet", aet).setParameter("pks", instancePks).executeUpdate();
    }

    /**
     * Removes the AE's series and study rows left without instances that nobody wrote since {@code before} (a
     * STOW-RS under way writes its study and series rows before its instance row: those stay).
     */
    @Transactional
    public void removeEmpty(String aet, Instant before) {
        em.createQuery("delete from SeriesRow se where se.aet = :aet and se.updated < :before"
                        + " and not exists (select 1 from InstanceRow i where i.seriesPk = se.pk)")
                .setParameter("aet", aet).setParameter("before", before).executeUpdate();
        em.createQuery("delete from StudyRow st where st.aet = :aet and st.updated < :before"
                        + " and not exists (select 1 from SeriesRow se where se.studyPk = st.pk)"
                        + " and not exists (select 1 from InstanceRow i where i.studyPk = st.pk)")
                .setParameter("aet", aet).setParameter("before", before).executeUpdate();
    }
}
