package org.dicomweb.gateway.stow;

import java.io.IOException;
import java.io.InputStream;

/**
 * The instances of one STOW-RS request, added part by part as the body is read. Each part is spooled to a temporary
 * file (never held in memory) and sent by C-STORE in the background, a bounded number at a time: adding blocks while
 * that many are in flight, which slows the upload rather than filling the disk.
 */
public interface StowTransaction extends AutoCloseable {

    /** Reads one application/dicom part to its end and queues its C-STORE. Throws only if reading the part fails. */
    void add(InputStream part) throws IOException;

    /** A part that is not application/dicom: counted as a failure. */
    void reject(String why);

    /** Waits for every C-STORE and returns what the PACS said of each instance. */
    StowResult finish();

    /** Ends the transaction: waits for C-STOREs under way, deletes every temporary file. Always called. */
    @Override
    void close();
}
