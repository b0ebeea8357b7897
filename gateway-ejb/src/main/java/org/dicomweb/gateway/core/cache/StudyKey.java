package org.dicomweb.gateway.core.cache;

/** A study as one PACS knows it: the same study UID at two PACS may be two different sets of instances. */
record StudyKey(String aet, String studyUid) {
}
