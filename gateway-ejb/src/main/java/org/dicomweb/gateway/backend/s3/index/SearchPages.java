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
        CandidateQuery candidates = CandidateQuery.of(aet, level, studyUid, seriesUid, filter, afterPk);
        return switch (level) {
            case STUDY -> studies(rows(candidates, StudyRow.class, size));
            case SERIES -> series(rows(candidates, SeriesRow.class, size).stream().map(r -> r.pk).toList());
            case IMAGE -> instances(rows(candidates, InstanceRow.class, size).stream().map(r -> r.pk).toList());
        };
    }

    private <T> List<T> rows(CandidateQuery candidates, Class<T> entity, int size) {
        var query = em.createNativeQuery(candidates.sql(), entity).setMaxResults(size);
        for (int i = 0; i < candidates.parameters().size(); i++) {
            query.setParameter(i + 1, candidates.parameters().get(i));
        }
        @SuppressWarnings("unchecked") // a native query with an entity class returns that entity
        List<T> rows = query.getResultList();
        return rows;
    }

    private List<Candidate> studies(List<StudyRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> pks = rows.stream().map(r -> r.pk).toList();
        // per series of these studies with CREATED instances: its modality and how many (one query for all counts)
        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, TreeSet<String>> modalities = new HashMap<>();
        for (Object[] row : em.createQuery("select se.studyPk, se.modality, count(i) from SeriesRow se, InstanceRow i"
                        + " where i.seriesPk = se.pk and se.studyPk in :pks and i.state = :created"
                        + " group by se.studyPk, se.pk, se.modality", Object[].class)
                .setParameter("pks", pks).setParameter("created", InstanceRow.State.CREATED).getResultList()) {
            long[] count = counts.computeIfAbsent((Long) row[0], k -> new long[2]);
            count[0]++;
            count[1] += (Long) row[2];
            TreeSet<String> studyModalities = modalities.computeIfAbsent((Long) row[0], k -> new TreeSet<>());
            if (row[1] != null) {
                studyModalities.add((String) row[1]);
            }
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
        if (pks.isEmpty()) {
            return List.of();
        }
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
        if (pks.isEmpty()) {
            return List.of();
        }
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
