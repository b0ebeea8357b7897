package org.dicomweb.gateway.wado;

import java.io.IOException;

/**
 * A retrieval whose first instance is arriving. The caller must write it or abandon it; both end the retrieval and
 * free the association.
 */
public interface RetrievedInstances {

    /**
     * Writes each instance as a part as it arrives from the PACS (never collected), then finishes the sink. If the
     * PACS reported some sub-operations failed, the epilogue says so. If the PACS fails or the client goes away
     * midway, this throws without finishing, so the body cannot be taken as complete.
     */
    void writeTo(InstanceSink sink) throws IOException;

    void abandon();
}
