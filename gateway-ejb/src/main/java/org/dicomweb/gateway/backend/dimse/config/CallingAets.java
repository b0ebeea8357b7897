package org.dicomweb.gateway.backend.dimse.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/**
 * The calling AE titles the Storage SCP accepts associations from: the AE titles of the PACS served over DIMSE (their
 * called AE title, which is also what they call the gateway with when they send a C-MOVE's instances), plus
 * {@code gateway.scp.accepted-calling-aets}; or any, with {@code gateway.scp.accept-any-calling-aet=true}.
 */
public record CallingAets(Set<String> accepted, boolean any) {

    public static final String ACCEPTED_KEY = "gateway.scp.accepted-calling-aets";
    public static final String ANY_KEY = "gateway.scp.accept-any-calling-aet";

    /** {@code dimseAets}: the configured AEs whose backend is dimse. */
    public static CallingAets read(ConfigValues values, Collection<String> dimseAets) {
        Set<String> accepted = new LinkedHashSet<>();
        for (String aet : dimseAets) {
            accepted.add(values.aeTitle("gateway.aet." + aet + ".called-aet", aet));
        }
        values.optional(ACCEPTED_KEY).ifPresent(list -> {
            for (String entry : list.split(",", -1)) {
                String title = entry.trim();
                if (!ConfigValues.isAeTitle(title)) {
                    throw new ConfigurationException(ACCEPTED_KEY, "has the entry '" + title
                            + "', which is not a DICOM AE title (comma-separated AE titles, 1-16 characters each)");
                }
                accepted.add(title);
            }
        });
        return new CallingAets(Collections.unmodifiableSet(accepted), values.bool(ANY_KEY, false));
    }

    /** AE titles compare exactly, without their padding (PS3.8 §9.3.2: leading and trailing spaces do not count). */
    public boolean accepts(String callingAet) {
        return any || accepted.contains(callingAet.strip());
    }
}
