package org.dicomweb.gateway.stow;

import java.io.IOException;
import java.io.InputStream;

/**
 * The instances of one STOW-RS request, added part by part as the body is read. Each part is spooled (memory or a
 * temporary file) and sent by C-STORE in the background, a bounded number at a time: adding blocks while that many
 * are in flight, which slows the upload rather than filling the disk. Every part added or rejected, and a body that
 * ends badly, is in the {@link StowResult}: stored, or failed with a reason.
 */
public interface StowTransaction extends AutoCloseable {

    /**
     * Reads one application/dicom part to its end and queues its C-STORE. Throws only if reading the body fails; the
     * part is then already reported as failed.
     */
    void add(InputStream part) throws IOException;

    /** A part that is not application/dicom: reported as failed ({@code why} follows "part N "). */
    void reject(String why);

    /** The body could not be read on after the parts so far (malformed, too large, the client gone). */
    void bodyFailed(String why);

    /** Waits (bounded) for every C-STORE and returns what the PACS said of each instance. */
    StowResult finish();

    /** Ends the transaction: waits for C-STOREs under way, frees every spooled part. Always called. */
    @Override
    void close();
}
