package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.io.OutputStream;

/** An application/dicom+json array ready to be written; it holds cached files: write it or abandon it, once. */
public interface DicomJsonBody {

    /**
     * Writes the array, object by object, then releases the files; a failure midway ends it unclosed, so it cannot
     * pass for complete.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Releases the files without writing (the response is not sent). */
    void abandon();
}
