package org.dicomweb.gateway.backend.s3.index;

import com.pixelmed.dicom.AttributeList;

/**
 * A study, series or instance of the index that may match a search: its row's key (for paging) and its attributes,
 * those of its level and the levels above, with the ones the index computes (counts, Modalities in Study, Instance
 * Availability).
 */
public record Candidate(long pk, AttributeList attributes) {
}
