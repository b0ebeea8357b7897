package org.dicomweb.gateway.backend.deidentify;

import java.util.Arrays;
import java.util.Objects;

import org.dicomweb.gateway.core.deid.DeidentificationOptions;

/**
 * One de-identifying AE's keys (docs/configuration.md, "De-identifying AEs"): the AE it reads through, its profile
 * options, and the installation's secret the pseudonyms are keyed with (never shown).
 */
record DeidentifySettings(String aet, String source, DeidentificationOptions options, byte[] secret) {

    /** Records compare arrays by identity: settings read twice from the same configuration must be equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DeidentifySettings that && aet.equals(that.aet) && source.equals(that.source)
                && options.equals(that.options) && Arrays.equals(secret, that.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(aet, source, options, Arrays.hashCode(secret));
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "DeidentifySettings[" + aet + " <- " + source + ", " + options + "]";
    }
}
