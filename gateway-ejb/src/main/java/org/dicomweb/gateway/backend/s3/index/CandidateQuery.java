package org.dicomweb.gateway.backend.s3.index;

import java.util.ArrayList;
import java.util.List;

import org.dicomweb.gateway.qido.QidoResource.QueryLevel;

/**
 * The SQL that finds one page of search candidates: the rows (all columns, pk ascending) of the level asked after a
 * given row, of the AE, with CREATED instances, within the study and series of the request's path, that pass the
 * {@link SearchFilter}. Native SQL that PostgreSQL and H2 both read, with JDBC parameters in order; the page size is
 * the caller's (setMaxResults), so that the same text runs through JPA and through plain JDBC in the tests.
 */
record CandidateQuery(String sql, List<Object> parameters) {

    static CandidateQuery of(String aet, QueryLevel level, String studyUid, String seriesUid, SearchFilter filter,
            long afterPk) {
        String created = InstanceRow.State.CREATED.name();
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        switch (level) {
            case STUDY -> sql.append("select st.* from s3_study st where st.aet = ? and st.pk > ?"
                    + " and exists (select 1 from s3_instance c where c.study_pk = st.pk and c.state = ?)");
            case SERIES -> sql.append("select se.* from s3_series se join s3_study st on st.pk = se.study_pk"
                    + " where se.aet = ? and se.pk > ?"
                    + " and exists (select 1 from s3_instance c where c.series_pk = se.pk and c.state = ?)");
            case IMAGE -> sql.append("select i.* from s3_instance i join s3_series se on se.pk = i.series_pk"
                    + " join s3_study st on st.pk = i.study_pk where i.aet = ? and i.pk > ? and i.state = ?");
        }
        parameters.add(aet);
        parameters.add(afterPk);
        parameters.add(created);
        if (studyUid != null) {
            sql.append(" and st.study_uid = ?");
            parameters.add(studyUid);
        }
        if (seriesUid != null && level == QueryLevel.IMAGE) {
            sql.append(" and se.series_uid = ?");
            parameters.add(seriesUid);
        }
        filter.appendTo(sql, parameters);
        String alias = SearchFilter.alias(level);
        sql.append(" order by ").append(alias).append(".pk");
        return new CandidateQuery(sql.toString(), List.copyOf(parameters));
    }
}
