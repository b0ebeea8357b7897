package org.dicomweb.gateway.backend.deidentify;

import org.dicomweb.gateway.core.deid.Deidentification;

/** A de-identifying AE as configured: its settings and the de-identification they make. */
record DeidentifiedAe(DeidentifySettings settings, Deidentification deidentification) {

    String aet() {
        return settings.aet();
    }

    String source() {
        return settings.source();
    }
}
