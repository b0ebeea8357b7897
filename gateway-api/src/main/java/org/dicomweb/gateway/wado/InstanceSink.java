package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a retrieval writes its instances as they arrive, one part each (a Part 10 file): a multipart/related response
 * body, or the instance cache.
 */
public interface InstanceSink {

    /** Starts a part; its body is whatever is written to the returned stream until the next part (not closable). */
    OutputStream nextPart(String contentType) throws IOException;

    /**
     * A part whose body is {@code length} bytes of a file already on disk (a cached Part 10 file) from its start. A sink
     * that can hand a file to its channel without copying it through the JVM (the HTTP response) overrides this; any
     * other sink gets the bytes through {@link #nextPart}. The caller keeps the channel open and closes it.
     */
    default void filePart(String contentType, FileChannel file, long length) throws IOException {
        OutputStream part = nextPart(contentType);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, 65536));
        for (long copied = 0; copied < length; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - copied));
            int read = file.read(buffer, copied);
            if (read < 0) {
                throw new IOException("a cached file ended after " + copied + " of its " + length + " bytes");
            }
            part.write(buffer.array(), 0, read);
            copied += read;
        }
    }

    /** After the last part; a non-null epilogue reports that the PACS failed to send some instances. */
    void finish(String epilogue) throws IOException;
}
