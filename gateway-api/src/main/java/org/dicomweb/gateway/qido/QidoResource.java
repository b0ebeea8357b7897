package org.dicomweb.gateway.qido;

/** The six QIDO-RS search resources (PS3.18 §10.6.1), each with the query level of its matches. */
public enum QidoResource {
    /** {@code /studies} */
    STUDIES(QueryLevel.STUDY),
    /** {@code /studies/{study}/series} */
    STUDY_SERIES(QueryLevel.SERIES),
    /** {@code /series}: series of all studies */
    SERIES(QueryLevel.SERIES),
    /** {@code /studies/{study}/series/{series}/instances} */
    STUDY_SERIES_INSTANCES(QueryLevel.IMAGE),
    /** {@code /studies/{study}/instances} */
    STUDY_INSTANCES(QueryLevel.IMAGE),
    /** {@code /instances}: instances of all studies */
    INSTANCES(QueryLevel.IMAGE);

    private final QueryLevel level;

    QidoResource(QueryLevel level) {
        this.level = level;
    }

    public QueryLevel level() {
        return level;
    }

    public enum QueryLevel { STUDY, SERIES, IMAGE }
}
