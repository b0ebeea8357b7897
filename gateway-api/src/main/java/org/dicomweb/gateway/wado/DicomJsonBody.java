package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.io.OutputStream;

/** An application/dicom+json array ready to be written; it holds cached files until written, so it must be. */
public interface DicomJsonBody {

    /** Writes the array, object by object; a failure midway ends it unclosed, so it cannot pass for complete. */
    void writeTo(OutputStream out) throws IOException;
}
