package org.dicomweb.gateway.core.spool;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream an {@link org.dicomweb.gateway.wado.InstanceSink} hands out for one part: writes go straight through
 * (FilterOutputStream's own bulk write goes byte by byte), and close does nothing, because a part ends when the next
 * one starts or the retrieval finishes, not when a writer closes its stream.
 */
public final class PartOutput {

    private PartOutput() {
    }

    public static OutputStream of(OutputStream part) {
        return new FilterOutputStream(part) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() {
                // the sink ends the part
            }
        };
    }
}
