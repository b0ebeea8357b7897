package org.dicomweb.gateway.backend.s3.index;

/**
 * A stored (CREATED) instance as the index knows it: its UIDs, its object and how it is encoded.
 *
 * @param frames where its frames lie in the object (FrameLayout's text form), null if not known
 */
public record IndexedInstance(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
        Integer instanceNumber, String key, long size, String etag, String transferSyntax, String frames) {

    /** The JSON object (metadata without bulk data) beside the instance's object. */
    public String metadataKey() {
        return metadataKey(key);
    }

    public static String metadataKey(String instanceKey) {
        return instanceKey.substring(0, instanceKey.length() - ".dcm".length()) + ".json";
    }
}
