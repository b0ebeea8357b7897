package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.dicomweb.gateway.core.qido.QidoQuery;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * The index's transactions, each short (no S3 request inside one). {@link InstanceIndex} is the way in: it migrates
 * the schema first and turns database failures into the gateway's 503.
 */
@ApplicationScoped
public class IndexStore {

    @PersistenceContext(unitName = "s3-index")
    EntityManager em;

    @Transactional
    public List<IndexedInstance> instances(String aet, WadoRequest request) {
        StringBuilder jpql = new StringBuilder("select new org.dicomweb.gateway.backend.s3.index.IndexedInstance("
                + "st.studyUid, se.seriesUid, i.sopInstanceUid, i.sopClassUid, i.instanceNumber, i.objectKey,"
                + " i.objectSize, i.etag, i.transferSyntax, i.frames)"
                + " from InstanceRow i, SeriesRow se, StudyRow st"
                + " where i.seriesPk = se.pk and i.studyPk = st.pk and i.aet = :aet and st.aet = :aet"
                + " and i.state = :created and st.studyUid = :study");
        if (request.seriesUid() != null) {
            jpql.append(" and se.seriesUid = :series");
        }
        if (request.instanceUid() != null) {
            jpql.append(" and i.sopInstanceUid = :instance");
        }
        jpql.append(" order by se.seriesNumber, se.pk, i.instanceNumber, i.pk");
        var query = em.createQuery(jpql.toString(), IndexedInstance.class)
                .setParameter("aet", aet)
                .setParameter("created", InstanceRow.State.CREATED)
                .setParameter("study", request.studyUid());
        if (request.seriesUid() != null) {
            query.setParameter("series", request.seriesUid());
        }
        if (request.instanceUid() != null) {
            query.setParameter("instance", request.instanceUid());
        }
        return query.getResultList();
    }

    /** The instance's row, whatever its state. */
    Optional<InstanceRow> row(String aet, String sopInstanceUid) {
        return em.createQuery("select i from InstanceRow i where i.aet = :aet and i.sopInstanceUid = :uid",
                        InstanceRow.class)
                .setParameter("aet", aet).setParameter("uid", sopInstanceUid)
                .getResultStream().findFirst();
    }

    /** The study's row, made if there is none; its attributes are those of the latest instance stored. */
    private long study(String aet, InstanceHeader header) {
        StudyRow row = em.createQuery("select s from StudyRow s where s.aet = :aet and s.studyUid = :uid",
                        StudyRow.class)
                .setParameter("aet", aet).setParameter("uid", header.studyUid())
                .getResultStream().findFirst().orElseGet(StudyRow::new);
        AttributeList data = header.dataSet();
        row.aet = aet;
        row.studyUid = header.studyUid();
        row.take(data);
        if (row.pk == null) {
            em.persist(row);
        }
        em.flush();
        return row.pk;
    }

    private long series(String aet, long studyPk, InstanceHeader header) {
        SeriesRow row = em.createQuery("select s from SeriesRow s where s.aet = :aet and s.seriesUid = :uid",
                        SeriesRow.class)
                .setParameter("aet", aet).setParameter("uid", header.seriesUid())
                .getResultStream().findFirst().orElseGet(SeriesRow::new);
        AttributeList data = header.dataSet();
        row.aet = aet;
        row.studyPk = studyPk;
        row.seriesUid = header.seriesUid();
        row.take(data);
        if (row.pk == null) {
            em.persist(row);
        }
        em.flush();
        return row.pk;
    }

    /**
     * In one transaction: the study's and the series' rows made or updated from the instance, and a new CREATING row
     * for it, or its existing row ({@code overwrite}), or nothing (stored before, not to be replaced: then nothing is
     * written). A concurrent insert of the same study, series or instance fails the transaction on a unique
     * constraint; the caller tries again.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Reservation> reserve(String aet, InstanceHeader header, String key, boolean overwrite) {
        Optional<InstanceRow> existing = row(aet, header.sopInstanceUid());
        if (existing.isPresent() && !overwrite) {
            return Optional.empty();
        }
        long studyPk = study(aet, header);
        long seriesPk = series(aet, studyPk, header);
        if (existing.isPresent()) {
            return Optional.of(new Reservation(aet, existing.get().pk, false, existing.get().objectKey, studyPk,
                    seriesPk));
        }
        InstanceRow row = new InstanceRow();
        row.aet = aet;
        row.studyPk = studyPk;
        row.seriesPk = seriesPk;
        row.sopInstanceUid = header.sopInstanceUid();
        row.state = InstanceRow.State.CREATING;
        row.objectKey = key;
        row.objectSize = 0;
        row.sopClassUid = header.sopClassUid();
        row.take(header.dataSet());
        row.transferSyntax = header.transferSyntax();
        row.updated = Instant.now();
        em.persist(row);
        em.flush();
        return Optional.of(new Reservation(aet, row.pk, true, null, studyPk, seriesPk));
    }

    /** Both objects are in the bucket: the row says where, and the instance becomes searchable and retrievable. */
    @Transactional
    public void created(Reservation reservation, InstanceHeader header, String key, long size, String etag,
            String frames) {
        InstanceRow row = em.find(InstanceRow.class, reservation.pk());
        if (row == null) {
            throw new IllegalStateException("the index row of " + header.sopInstanceUid() + " was removed while it"
                    + " was stored (by a reindex?)");
        }
        row.studyPk = reservation.studyPk();
        row.seriesPk = reservation.seriesPk();
        row.sopClassUid = header.sopClassUid();
        row.take(header.dataSet());
        row.state = InstanceRow.State.CREATED;
        row.objectKey = key;
        row.objectSize = size;
        row.etag = etag;
        row.transferSyntax = header.transferSyntax();
        row.frames = frames;
        row.updated = Instant.now();
    }

    /** A fresh row whose store failed is removed; a row of an instance stored before stays as it was. */
    @Transactional
    public void abandon(Reservation reservation) {
        if (reservation.fresh()) {
            InstanceRow row = em.find(InstanceRow.class, reservation.pk());
            if (row != null && row.state == InstanceRow.State.CREATING) {
                em.remove(row);
            }
        }
    }

    @Transactional
    public Optional<String> metadataDigest(String aet, String seriesUid) {
        return em.createQuery("select s.metadataDigest from SeriesRow s where s.aet = :aet and s.seriesUid = :uid",
                        String.class)
                .setParameter("aet", aet).setParameter("uid", seriesUid)
                .getResultStream().filter(d -> d != null).findFirst();
    }

    @Transactional
    public void metadataStored(String aet, String seriesUid, String digest) {
        em.createQuery("update SeriesRow s set s.metadataDigest = :digest where s.aet = :aet and s.seriesUid = :uid")
                .setParameter("digest", digest).setParameter("aet", aet).setParameter("uid", seriesUid)
                .executeUpdate();
    }

    /** One page of search candidates after row {@code afterPk}, in row order ({@link SearchPages}). */
    @Transactional
    public List<Candidate> searchPage(String aet, QidoQuery query, long afterPk, int size) {
        QueryLevel level = query.resource().level();
        return new SearchPages(em).page(aet, level, query.studyUid(), query.seriesUid(),
                SearchFilter.of(query, level), afterPk, size);
    }

    /** A cheap query, for the AE's health: the database answers and the schema is there. */
    @Transactional
    public void ping(String aet) {
        em.createQuery("select count(s) from StudyRow s where s.aet = :aet and s.pk < 0")
                .setParameter("aet", aet).getSingleResult();
    }
}
