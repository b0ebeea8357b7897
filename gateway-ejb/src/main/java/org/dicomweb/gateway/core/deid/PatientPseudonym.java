package org.dicomweb.gateway.core.deid;

/** What replaces a patient's identity in de-identified data sets: PatientID and PatientName. */
public record PatientPseudonym(String patientId, String patientName) {
}
