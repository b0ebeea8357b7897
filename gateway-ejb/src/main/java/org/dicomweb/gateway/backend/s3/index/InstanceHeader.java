package org.dicomweb.gateway.backend.s3.index;

import com.pixelmed.dicom.AttributeList;

/** What the index takes from an instance being stored: its UIDs and its data set up to the pixel data. */
public record InstanceHeader(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
        String transferSyntax, AttributeList dataSet) {
}
