package org.dicomweb.gateway.backend.s3.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

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
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long study(String aet, InstanceHeader header) {
        StudyRow row = em.createQuery("select s from StudyRow s where s.aet = :aet and s.studyUid = :uid",
                        StudyRow.class)
                .setParameter("aet", aet).setParameter("uid", header.studyUid())
                .getResultStream().findFirst().orElseGet(StudyRow::new);
        AttributeList data = header.dataSet();
        row.aet = aet;
        row.studyUid = header.studyUid();
        row.patientId = value(data, TagFromName.PatientID);
        row.patientName = upper(value(data, TagFromName.PatientName));
        row.patientBirthDate = value(data, TagFromName.PatientBirthDate);
        row.studyDate = value(data, TagFromName.StudyDate);
        row.studyTime = value(data, TagFromName.StudyTime);
        row.accessionNumber = value(data, TagFromName.AccessionNumber);
        row.studyId = value(data, TagFromName.StudyID);
        row.referringPhysicianName = upper(value(data, TagFromName.ReferringPhysicianName));
        row.attributes = LevelAttributes.encode(data, QueryLevel.STUDY);
        if (row.pk == null) {
            em.persist(row);
        }
        em.flush();
        return row.pk;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long series(String aet, long studyPk, InstanceHeader header) {
        SeriesRow row = em.createQuery("select s from SeriesRow s where s.aet = :aet and s.seriesUid = :uid",
                        SeriesRow.class)
                .setParameter("aet", aet).setParameter("uid", header.seriesUid())
                .getResultStream().findFirst().orElseGet(SeriesRow::new);
        AttributeList data = header.dataSet();
        row.aet = aet;
        row.studyPk = studyPk;
        row.seriesUid = header.seriesUid();
        row.modality = value(data, TagFromName.Modality);
        row.seriesNumber = integer(data, TagFromName.SeriesNumber);
        row.attributes = LevelAttributes.encode(data, QueryLevel.SERIES);
        if (row.pk == null) {
            em.persist(row);
        }
        em.flush();
        return row.pk;
    }

    /**
     * A new CREATING row, or the existing row of the instance ({@code overwrite}) or nothing (an instance stored
     * before, not to be replaced). A concurrent insert of the same UID fails on the unique constraint.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Reservation> reserve(String aet, long studyPk, long seriesPk, InstanceHeader header, String key,
            boolean overwrite) {
        Optional<InstanceRow> existing = row(aet, header.sopInstanceUid());
        if (existing.isPresent()) {
            return overwrite ? Optional.of(new Reservation(aet, existing.get().pk, false, existing.get().objectKey))
                    : Optional.empty();
        }
        InstanceRow row = new InstanceRow();
        row.aet = aet;
        row.studyPk = studyPk;
        row.seriesPk = seriesPk;
        row.sopInstanceUid = header.sopInstanceUid();
        row.sopClassUid = header.sopClassUid();
        row.instanceNumber = integer(header.dataSet(), TagFromName.InstanceNumber);
        row.state = InstanceRow.State.CREATING;
        row.objectKey = key;
        row.objectSize = 0;
        row.transferSyntax = header.transferSyntax();
        row.attributes = LevelAttributes.encode(header.dataSet(), QueryLevel.IMAGE);
        row.updated = Instant.now();
        em.persist(row);
        em.flush();
        return Optional.of(new Reservation(aet, row.pk, true, null));
    }

    /** Both objects are in the bucket: the row says where, and the instance becomes searchable and retrievable. */
    @Transactional
    public void created(Reservation reservation, long studyPk, long seriesPk, InstanceHeader header, String key,
            long size, String etag, String frames) {
        InstanceRow row = em.find(InstanceRow.class, reservation.pk());
        if (row == null) {
            throw new IllegalStateException("the index row of " + header.sopInstanceUid() + " was removed while it"
                    + " was stored (by a reindex?)");
        }
        row.studyPk = studyPk;
        row.seriesPk = seriesPk;
        row.sopClassUid = header.sopClassUid();
        row.instanceNumber = integer(header.dataSet(), TagFromName.InstanceNumber);
        row.state = InstanceRow.State.CREATED;
        row.objectKey = key;
        row.objectSize = size;
        row.etag = etag;
        row.transferSyntax = header.transferSyntax();
        row.frames = frames;
        row.attributes = LevelAttributes.encode(header.dataSet(), QueryLevel.IMAGE);
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
    public List<Candidate> searchPage(String aet, QueryLevel level, String studyUid, String seriesUid, long afterPk,
            int size) {
        return new SearchPages(em).page(aet, level, studyUid, seriesUid, afterPk, size);
    }

    /** A cheap query, for the AE's health: the database answers and the schema is there. */
    @Transactional
    public void ping(String aet) {
        em.createQuery("select count(s) from StudyRow s where s.aet = :aet and s.pk < 0")
                .setParameter("aet", aet).getSingleResult();
    }

    private static String value(AttributeList data, com.pixelmed.dicom.AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrEmptyString(data, tag).strip();
        return value.isEmpty() ? null : value;
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(java.util.Locale.ROOT);
    }

    private static Integer integer(AttributeList data, com.pixelmed.dicom.AttributeTag tag) {
        String value = value(data, tag);
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null; // not a number: not sortable, still stored in the attributes
        }
    }
}
