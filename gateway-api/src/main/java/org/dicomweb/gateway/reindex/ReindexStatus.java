package org.dicomweb.gateway.reindex;

import java.time.Instant;

/**
 * A reindex of one AE as it stands.
 *
 * @param finished  null while RUNNING
 * @param listed    objects ending in {@code .dcm} listed so far
 * @param indexed   of them, read and (re)written to the index
 * @param unchanged of them, already in the index with the same ETag
 * @param failed    of them, not readable as DICOM (or not fetched): left out of the index
 * @param removed   index rows dropped because their object was not listed
 * @param message   null, or what went wrong: the first keys that failed, or why the run stopped
 */
public record ReindexStatus(String aet, State state, Instant started, Instant finished, long listed, long indexed,
        long unchanged, long failed, long removed, String message) {

    public enum State { RUNNING, COMPLETED, FAILED }
}
