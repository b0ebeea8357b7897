package org.dicomweb.gateway.wado;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /**
     * The length in bytes of the body this framing writes for {@code parts} (each part's body of its given length) and
     * no epilogue: what a response of those parts declares as its Content-Length.
     */
    public static long length(String boundary, List<RetrievedInstances.StoredPart> parts) {
        long length = 0;
        boolean first = true;
        for (RetrievedInstances.StoredPart part : parts) {
            length += ascii(delimiter(first, boundary, part.contentType())).length + part.length();
            first = false;
        }
        return length + ascii(closing(first, boundary, null)).length;
    }

    @Override
    public OutputStream nextPart(String contentType) throws IOException {
        write(delimiter(first, boundary, contentType));
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
        write(closing(first, boundary, epilogue));
        out.flush();
    }

    /** What comes before a part's body: its delimiter (after the previous part's CRLF) and its header. */
    private static String delimiter(boolean first, String boundary, String contentType) {
        return (first ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType + "\r\n\r\n";
    }

    private static String closing(boolean first, String boundary, String epilogue) {
        return (first ? "" : "\r\n") + "--" + boundary + "--\r\n" + (epilogue == null ? "" : epilogue + "\r\n");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void write(String text) throws IOException {
        out.write(ascii(text));
    }
}
