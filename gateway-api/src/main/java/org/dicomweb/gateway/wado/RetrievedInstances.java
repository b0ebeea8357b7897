package org.dicomweb.gateway.wado;

import java.io.IOException;

/**
 * A retrieval whose first instance is arriving. The caller must write it or abandon it; both end the retrieval and
 * free the association.
 */
public interface RetrievedInstances {

    /**
     * Writes each instance as a part as it arrives from the PACS (never collected), then the closing delimiter. If
     * the PACS reported some sub-operations failed, the multipart epilogue says so. If the PACS fails or the client
     * goes away midway, this throws, so the body ends without its closing delimiter and cannot be taken as complete.
     */
    void writeTo(MultipartRelated multipart) throws IOException;

    void abandon();
}
