package org.dicomweb.gateway.core.metrics;

import org.dicomweb.gateway.core.config.GatewaySettings;

/**
 * The AE and backend labels of a meter. Only configured AEs become label values: an AE title comes from the request
 * path, and any client could otherwise make a new time series per title it invents.
 */
public final class AeLabels {

    /** The AE label of what is addressed to no AE (/aets, /tasks, /changefeed, /admin). */
    public static final String NONE = "none";
    /** The AE label of an AE title that is not configured (a 404). */
    public static final String UNKNOWN = "unknown";

    private AeLabels() {
    }

    public static String aet(GatewaySettings settings, String aet) {
        if (aet == null) {
            return NONE;
        }
        return settings.aeBackends().containsKey(aet) ? aet : UNKNOWN;
    }

    public static String backend(GatewaySettings settings, String aet) {
        return aet == null ? NONE : settings.aeBackends().getOrDefault(aet, NONE);
    }
}
