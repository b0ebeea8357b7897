package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

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

    /**
     * The parts, known before the first is written, when every one is a file already on disk (a retrieval served from
     * the study cache): with them the HTTP layer can declare the body's length and send each file without copying it.
     * {@link #writeTo} then writes exactly these, in this order, each through {@link InstanceSink#filePart}. Empty (the
     * default) for a retrieval that streams from a PACS, and for any wrapper that changes what it wraps.
     */
    default Optional<List<StoredPart>> storedParts() {
        return Optional.empty();
    }

    /** One part of {@link #storedParts}: its content type and its body's length in bytes. */
    record StoredPart(String contentType, long length) {
    }
}
