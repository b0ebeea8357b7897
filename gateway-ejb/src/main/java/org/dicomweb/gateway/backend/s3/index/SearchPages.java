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
 * instances, within the study and series of the request's path, that pass the SQL filter ({@link CandidateQuery}),
 * with their attributes and the computed ones. The caller matches them (the core's QidoMatcher) and asks for the next
 * page until it has enough.
 */
final class SearchPages {

    private final EntityManager em;

    SearchPages(EntityManager em) {
        this.em = em;
    }

    List<Candidate> page(String aet, QueryLevel level, String studyUid, String seriesUid, SearchFilter filter,
            long afterPk, int size) {
        List<Long> pks = candidates(CandidateQuery.of(aet, level, studyUid, seriesUid, filter, afterPk), size);
        if (pks.isEmpty()) {
            return List.of();
        }
        return switch (level) {
            case STUDY -> studies(pks);
            case SERIES -> series(pks);
            case IMAGE -> instances(pks);
        };
    }

    private List<Long> candidates(CandidateQuery candidates, int size) {
        var query = em.createNativeQuery(candidates.sql(), Long.class).setMaxResults(size);
        for (int i = 0; i < candidates.parameters().size(); i++) {
            query.setParameter(i + 1, candidates.parameters().get(i));
        }
        List<Long> pks = new ArrayList<>();
        for (Object pk : query.getResultList()) {
            pks.add(((Number) pk).longValue());
        }
        return pks;
    }

    private List<Candidate> studies(List<Long> pks) {
        List<StudyRow> rows = em.createQuery("select s from StudyRow s where s.pk in :pks order by s.pk",
                StudyRow.class).setParameter("pks", pks).getResultList();
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

    private List<Candidate> series(List<Long> pks) {
        List<Object[]> rows = em.createQuery("select se, st from SeriesRow se, StudyRow st where se.studyPk = st.pk"
                + " and se.pk in :pks order by se.pk", Object[].class).setParameter("pks", pks).getResultList();
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

    private List<Candidate> instances(List<Long> pks) {
        var query = em.createQuery("select i, se, st from InstanceRow i, SeriesRow se, StudyRow st"
                + " where i.seriesPk = se.pk and i.studyPk = st.pk and i.pk in :pks order by i.pk", Object[].class)
                .setParameter("pks", pks);
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
