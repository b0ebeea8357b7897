package org.dicomweb.gateway.qido;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A search whose first C-FIND response has arrived: whether there are matches, and warnings known before the body
 * starts. The caller must either write it or abandon it; both end the C-FIND and free the association.
 */
public interface QidoResult {

    boolean hasMatches();

    /** Texts for HTTP {@code Warning: 299} headers (e.g. fuzzy matching not supported, results capped). */
    List<String> warnings();

    /**
     * Writes all matches as an application/dicom+json array, each as soon as the PACS sends it. If writing fails (the
     * client went away) the C-FIND is cancelled. A PACS failure after matches were written ends the stream abruptly
     * with an IOException, so that no client can take a truncated array as complete.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Cancels the C-FIND without writing anything. */
    void abandon();
}
