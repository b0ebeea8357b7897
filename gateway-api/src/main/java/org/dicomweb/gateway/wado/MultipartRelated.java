package org.dicomweb.gateway.wado;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Writes a multipart/related body (RFC 2387) part by part onto a stream, as PS3.18 §8.7.3 frames WADO-RS responses. */
public final class MultipartRelated implements InstanceSink {

    private final OutputStream out;
    private final String boundary;
    private boolean first = true;

    public MultipartRelated(OutputStream out, String boundary) {
        this.out = out;
        this.boundary = boundary;
    }

    public static String newBoundary() {
        return "dicomweb-" + UUID.randomUUID();
    }

    public String boundary() {
        return boundary;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        write((first ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType + "\r\n\r\n");
        first = false;
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** The closing delimiter, then an epilogue (which MIME parsers ignore, but a person or a script can read). */
    @Override
    public void finish(String epilogue) throws IOException {
        write((first ? "" : "\r\n") + "--" + boundary + "--\r\n" + (epilogue == null ? "" : epilogue + "\r\n"));
        out.flush();
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
