package org.dicomweb.gateway.core.deid;

import java.util.Map;
import java.util.Set;

/**
 * One row of Table E.1-1: the basic profile's action code and each option column's code (absent where the column is
 * empty).
 */
record ProfileRow(String tag, String name, String basic, Map<ProfileOption, String> options) {

    /**
     * The action under the chosen options. An option's code replaces the basic one; where two chosen options both
     * have a code (e.g. a calibration date under Retain Device Identity, K, and Modified Dates, C), keeping wins over
     * cleaning: each option is a user's explicit choice to retain more, and K retains the most.
     */
    Action action(Set<ProfileOption> chosen) {
        String optionCode = null;
        for (ProfileOption option : chosen) {
            String code = options.get(option);
            if (code != null && !"K".equals(optionCode)) {
                optionCode = code;
            }
        }
        return Action.of(optionCode != null ? optionCode : basic);
    }
}
