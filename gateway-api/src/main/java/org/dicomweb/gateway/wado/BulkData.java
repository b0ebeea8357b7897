package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One bulk data value (little endian, as PS3.18 §8.7.3.3.1 wants it), readable in byte ranges. It may hold an open
 * file: write it or close it, exactly once.
 */
public interface BulkData extends AutoCloseable {

    long length();

    /** Writes {@code count} bytes from {@code offset} (a range within the value), then releases the value. */
    void writeTo(OutputStream out, long offset, long count) throws IOException;

    /** Releases the value without writing it. */
    @Override
    void close();
}
