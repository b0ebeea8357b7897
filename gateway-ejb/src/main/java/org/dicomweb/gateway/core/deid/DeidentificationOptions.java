package org.dicomweb.gateway.core.deid;

import java.util.Set;

/**
 * What a de-identifying AE keeps beyond the Basic Application Level Confidentiality Profile (PS3.15 §E.3), chosen per
 * AE: each flag is one option column of Table E.1-1.
 *
 * @param safePrivateTags private attributes kept (all others are removed), each as {@code gggg,creator,ee}: group,
 *                        private creator, element byte (PS3.15 §E.3.10)
 * @param passBurnedInAnnotation whether instances that carry or may carry burned-in text are passed, not refused
 */
public record DeidentificationOptions(boolean retainUids, boolean retainLongitudinalModifiedDates,
        boolean retainPatientCharacteristics, boolean retainDeviceIdentity, boolean cleanDescriptors,
        Set<String> safePrivateTags, boolean passBurnedInAnnotation) {
}
