package org.dicomweb.gateway.core.deid;

/**
 * Gives each patient a pseudonym that is the same on every request and after a restart. The built-in provider derives
 * it from a keyed hash; an external pseudonymization service (a trusted third party such as gPAS) fits behind this
 * interface too (docs/deidentification.md).
 */
public interface PatientPseudonyms {

    /** The pseudonym of the patient the source AE knows by this ID (issuer: may be empty). */
    PatientPseudonym pseudonym(String issuerOfPatientId, String patientId);
}
