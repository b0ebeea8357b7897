package org.dicomweb.gateway.backend.deidentify;

import java.util.Optional;

import org.dicomweb.gateway.error.NotFoundInPacsException;

/**
 * The source's original of a UID a client of a de-identifying AE names: a pseudonym the AE handed out, looked up in
 * the {@link UidMap}; with retain-uids the UID itself, unless the profile replaced it all the same (UIDs whose
 * Table E.1-1 row says so are replaced under that option too).
 */
final class OriginalUids {

    private final DeidentifiedAe ae;
    private final UidMap uids;

    OriginalUids(DeidentifiedAe ae, UidMap uids) {
        this.ae = ae;
        this.uids = uids;
    }

    /** Empty for a UID this AE never handed out (with retain-uids: a UID not recorded is taken as it is). */
    Optional<String> of(String pseudonym) {
        Optional<String> original = uids.original(ae.aet(), pseudonym);
        return original.isEmpty() && ae.settings().options().retainUids() ? Optional.of(pseudonym) : original;
    }

    /** 404 for a UID this AE never handed out. */
    String require(String pseudonym) {
        return of(pseudonym).orElseThrow(() -> new NotFoundInPacsException(ae.aet() + " has handed out no UID "
                + pseudonym + " (a de-identifying AE knows the UIDs of what it has shown)"));
    }

    String requireOrNull(String pseudonym) {
        return pseudonym == null ? null : require(pseudonym);
    }
}
