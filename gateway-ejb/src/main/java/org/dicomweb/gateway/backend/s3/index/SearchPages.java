package org.dicomweb.gateway.backend.s3.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.TagFromName;

import jakarta.persistence.EntityManager;

import org.dicomweb.gateway.core.json.ReturnKeys;
import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * One page of search candidates, in row order after a given row: the rows of the level asked that have CREATED
 * instances, within the study and series of the request's path, with their attributes and the computed ones. The
 * caller matches them (the core's QidoMatcher) and asks for the next page until it has enough.
 */
final class SearchPages {

    private final EntityManager em;

    SearchPages(EntityManager em) {
        this.em = em;
    }

    List<Candidate> page(String aet, QueryLevel level, String studyUid, String seriesUid, long afterPk, int size) {
        return switch (level) {
            case STUDY -> studies(aet, studyUid, afterPk, size);
            case SERIES -> series(aet, studyUid, afterPk, size);
            case IMAGE -> instances(aet, studyUid, seriesUid, afterPk, size);
        };
    }

    private List<Candidate> studies(String aet, String studyUid, long afterPk, int size) {
        var query = em.createQuery("select s from StudyRow s where s.aet = :aet and s.pk > :after"
                        + (studyUid == null ? "" : " and s.studyUid = :study")
                        + " and exists (select 1 from InstanceRow i where i.studyPk = s.pk and i.state = :created)"
                        + " order by s.pk", StudyRow.class)
                .setParameter("aet", aet).setParameter("created", InstanceRow.State.CREATED)
                .setParameter("after", afterPk).setMaxResults(size);
        if (studyUid != null) {
            query.setParameter("study", studyUid);
        }
        List<StudyRow> rows = query.getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> pks = rows.stream().map(r -> r.pk).toList();
        Map<Long, long[]> counts = new HashMap<>();
        for (Object[] row : em.createQuery("select i.studyPk, count(distinct i.seriesPk), count(i) from InstanceRow i"
                        + " where i.studyPk in :pks and i.state = :created group by i.studyPk", Object[].class)
                .setParameter("pks", pks).setParameter("created", InstanceRow.State.CREATED).getResultList()) {
            counts.put((Long) row[0], new long[] {(Long) row[1], (Long) row[2]});
        }
        Map<Long, TreeSet<String>> modalities = new HashMap<>();
        for (Object[] row : em.createQuery("select se.studyPk, se.modality from SeriesRow se where se.studyPk in :pks"
                        + " and se.modality is not null and exists (select 1 from InstanceRow i where i.seriesPk = se.pk"
                        + " and i.state = :created)", Object[].class)
                .setParameter("pks", pks).setParameter("created", InstanceRow.State.CREATED).getResultList()) {
            modalities.computeIfAbsent((Long) row[0], k -> new TreeSet<>()).add((String) row[1]);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (StudyRow row : rows) {
            AttributeList attributes = new AttributeList();
            LevelAttributes.decodeInto(row.attributes, attributes);
            long[] count = counts.getOrDefault(row.pk, new long[2]);
            put(attributes, new CodeStringAttribute(TagFromName.ModalitiesInStudy),
                    modalities.getOrDefault(row.pk, new TreeSet<>()).toArray(String[]::new));
            put(attributes, new IntegerStringAttribute(TagFromName.NumberOfStudyRelatedSeries), count[0]);
            put(attributes, new IntegerStringAttribute(TagFromName.NumberOfStudyRelatedInstances), count[1]);
            online(attributes);
            candidates.add(new Candidate(row.pk, attributes));
        }
        return candidates;
    }

    private List<Candidate> series(String aet, String studyUid, long afterPk, int size) {
        var query = em.createQuery("select se, st from SeriesRow se, StudyRow st where se.studyPk = st.pk"
                        + " and se.aet = :aet and se.pk > :after" + (studyUid == null ? "" : " and st.studyUid = :study")
                        + " and exists (select 1 from InstanceRow i where i.seriesPk = se.pk and i.state = :created)"
                        + " order by se.pk", Object[].class)
                .setParameter("aet", aet).setParameter("created", InstanceRow.State.CREATED)
                .setParameter("after", afterPk).setMaxResults(size);
        if (studyUid != null) {
            query.setParameter("study", studyUid);
        }
        List<Object[]> rows = query.getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> pks = rows.stream().map(r -> ((SeriesRow) r[0]).pk).toList();
        Map<Long, Long> counts = new HashMap<>();
        for (Object[] row : em.createQuery("select i.seriesPk, count(i) from InstanceRow i where i.seriesPk in :pks"
                        + " and i.state = :created group by i.seriesPk", Object[].class)
                .setParameter("pks", pks).setParameter("created", InstanceRow.State.CREATED).getResultList()) {
            counts.put((Long) row[0], (Long) row[1]);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Object[] row : rows) {
            SeriesRow series = (SeriesRow) row[0];
            AttributeList attributes = new AttributeList();
            LevelAttributes.decodeInto(((StudyRow) row[1]).attributes, attributes);
            LevelAttributes.decodeInto(series.attributes, attributes);
            put(attributes, new IntegerStringAttribute(TagFromName.NumberOfSeriesRelatedInstances),
                    counts.getOrDefault(series.pk, 0L));
            online(attributes);
            candidates.add(new Candidate(series.pk, attributes));
        }
        return candidates;
    }

    private List<Candidate> instances(String aet, String studyUid, String seriesUid, long afterPk, int size) {
        var query = em.createQuery("select i, se, st from InstanceRow i, SeriesRow se, StudyRow st"
                        + " where i.seriesPk = se.pk and i.studyPk = st.pk and i.aet = :aet and i.pk > :after"
                        + " and i.state = :created" + (studyUid == null ? "" : " and st.studyUid = :study")
                        + (seriesUid == null ? "" : " and se.seriesUid = :series") + " order by i.pk", Object[].class)
                .setParameter("aet", aet).setParameter("created", InstanceRow.State.CREATED)
                .setParameter("after", afterPk).setMaxResults(size);
        if (studyUid != null) {
            query.setParameter("study", studyUid);
        }
        if (seriesUid != null) {
            query.setParameter("series", seriesUid);
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Object[] row : query.getResultList()) {
            InstanceRow instance = (InstanceRow) row[0];
            AttributeList attributes = new AttributeList();
            LevelAttributes.decodeInto(((StudyRow) row[2]).attributes, attributes);
            LevelAttributes.decodeInto(((SeriesRow) row[1]).attributes, attributes);
            LevelAttributes.decodeInto(instance.attributes, attributes);
            online(attributes);
            candidates.add(new Candidate(instance.pk, attributes));
        }
        return candidates;
    }

    private static void online(AttributeList attributes) {
        put(attributes, new CodeStringAttribute(ReturnKeys.INSTANCE_AVAILABILITY), "ONLINE");
    }

    private static void put(AttributeList list, Attribute attribute, Object... values) {
        try {
            for (Object value : values) {
                attribute.addValue(String.valueOf(value));
            }
        } catch (DicomException e) {
            throw new IllegalStateException("cannot set " + attribute.getTag(), e);
        }
        list.put(attribute);
    }

    static boolean computed(AttributeTag tag) {
        return tag.equals(TagFromName.ModalitiesInStudy) || tag.equals(TagFromName.NumberOfStudyRelatedSeries)
                || tag.equals(TagFromName.NumberOfStudyRelatedInstances)
                || tag.equals(TagFromName.NumberOfSeriesRelatedInstances)
                || tag.equals(ReturnKeys.INSTANCE_AVAILABILITY);
    }
}
