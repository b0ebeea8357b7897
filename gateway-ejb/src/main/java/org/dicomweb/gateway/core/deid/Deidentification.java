package org.dicomweb.gateway.core.deid;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;

/**
 * One AE's de-identification: the PS3.15 Annex E profile with its options, its UID pseudonyms and its patient
 * pseudonyms. The same input gives the same output on every call and after a restart (keyed hashes, no counters).
 * Thread-safe.
 */
public interface Deidentification {

    /**
     * De-identifies a data set in place, the pixel data left as it is (a file meta information header, if present,
     * gets the new SOP Instance UID). Refuses an instance that carries or may carry burned-in annotation unless the
     * options pass it.
     */
    void apply(AttributeList dataSet) throws BurnedInAnnotationRefused;

    /** The UID that replaces {@code originalUid} (the same one, if the options retain UIDs). */
    String uid(String originalUid);

    /**
     * Whether a search may match on this attribute at the source AE: only on attributes the profile keeps as they
     * are; matching on original identifiers (PatientID, names, dates...) is refused.
     */
    boolean matchable(AttributeTag tag);
}
