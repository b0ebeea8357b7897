package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a retrieval writes its instances as they arrive, one part each (a Part 10 file): a multipart/related response
 * body, or the instance cache.
 */
public interface InstanceSink {

    /** Starts a part; its body is whatever is written to the returned stream until the next part (not closable). */
    OutputStream nextPart(String contentType) throws IOException;

    /** After the last part; a non-null epilogue reports that the PACS failed to send some instances. */
    void finish(String epilogue) throws IOException;
}
