package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The parts of an upstream's multipart/related answer (RFC 2046 §5.1), one at a time as they arrive, read through one
 * large buffer: each part's Content-Type with its parameters, its first bytes to look at without consuming them, and
 * its body, as a stream or copied from the buffer straight into another stream. A part whose Content-Length the
 * upstream gives (Orthanc does) is taken by count and the delimiter after it checked; otherwise the delimiter is
 * found by Boyer-Moore-Horspool, which looks at about one byte in the delimiter's length. An answer that ends before
 * its closing delimiter is an error, so a cut answer is never taken as complete.
 */
final class UpstreamParts {

    /** Reads what a part's first bytes say, without consuming them. */
    interface Peek<T> {
        T read(byte[] bytes, int offset, int length);
    }

    private static final int BUFFER_BYTES = 256 * 1024;
    /** A part's header block beyond this is not one (it must fit the buffer). */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Of an epilogue, this much is read so that the connection can be reused; the rest is cut with the answer. */
    private static final int MAX_EPILOGUE_BYTES = 64 * 1024;

    private final InputStream in;
    private final String upstream;
    /** CR LF "--" boundary: the delimiter before every part and the closing one. */
    private final byte[] delimiter;
    /** Horspool's shift for each byte value at the window's last position. */
    private final int[] shift = new int[256];
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean eof;

    private boolean inBody;
    private boolean ended;
    private String contentType;
    /** The bytes of the current body not yet consumed, if the part's Content-Length gave them; else -1. */
    private long remaining;
    /** Without a Content-Length: the body extends at least to here (an index into the buffer) ... */
    private int bodyEnd;
    /** ... and the delimiter starts there. */
    private boolean delimited;

    UpstreamParts(InputStream body, String boundary, String upstream) {
        this.in = body;
        this.upstream = upstream;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int last = delimiter.length - 1;
        Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < last; i++) {
            shift[delimiter[i] & 0xFF] = last - i;
        }
        // The first delimiter may open the body without the CR LF the others have: the preamble is a body of its
        // own (skipped) that starts with one.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
        startBody(-1);
    }

    /** Moves to the next part (the rest of the current one skipped): false after the last part. */
    boolean next() throws IOException {
        if (ended) {
            return false;
        }
        if (inBody) {
            for (int n = available(); n > 0; n = available()) {
                consume(n);
            }
        }
        position += delimiter.length;
        if (!ensure(2)) {
            throw cut();
        }
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            ended = true;
            inBody = false;
            contentType = null;
            drainEpilogue();
            return false;
        }
        while (ensure(1) && (buffer[position] == ' ' || buffer[position] == '\t')) {
            position++; // transport padding
        }
        if (!ensure(2)) {
            throw cut();
        }
        if (buffer[position] != '\r' || buffer[position + 1] != '\n') {
            throw malformed("a delimiter is not followed by CR LF");
        }
        position += 2;
        readHeaders();
        return true;
    }

    /** The current part's Content-Type as the upstream wrote it (parameters included). */
    String contentType() {
        return contentType;
    }

    /** {@code reader} over the current body's first bytes (up to {@code max}, fewer if the body is shorter). */
    <T> T peek(int max, Peek<T> reader) throws IOException {
        int length;
        if (remaining >= 0) {
            length = (int) Math.min(max, remaining);
            if (!ensure(length)) {
                throw cut();
            }
        } else {
            while (true) {
                scan();
                if (delimited || bodyEnd - position >= max || (position == 0 && limit == buffer.length)) {
                    break;
                }
                if (!fill()) {
                    throw cut();
                }
            }
            length = Math.min(max, bodyEnd - position);
        }
        return reader.read(buffer, position, length);
    }

    /** Copies the rest of the current body to {@code out}, from the buffer as it fills. */
    long transferTo(OutputStream out) throws IOException {
        long total = 0;
        for (int n = available(); n > 0; n = available()) {
            out.write(buffer, position, n);
            consume(n);
            total += n;
        }
        return total;
    }

    /** The current part's body, up to its delimiter (closing it leaves the answer as it is). */
    InputStream body() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                if (available0() == 0) {
                    return -1;
                }
                int b = buffer[position] & 0xFF;
                consume(1);
                return b;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                int n = Math.min(length, available0());
                if (n == 0) {
                    return -1;
                }
                System.arraycopy(buffer, position, bytes, offset, n);
                consume(n);
                return n;
            }

            @Override
            public long transferTo(OutputStream out) throws IOException {
                return UpstreamParts.this.transferTo(out);
            }

            @Override
            public int available() {
                return !inBody ? 0 : remaining >= 0 ? (int) Math.min(remaining, limit - position) : bodyEnd - position;
            }

            private int available0() throws IOException {
                return inBody ? UpstreamParts.this.available() : 0;
            }
        };
    }

    /** The value of parameter {@code name} of a Content-Type (quotes removed), or null. */
    static String parameter(String contentType, String name) {
        for (String piece : contentType.split(";")) {
            int equals = piece.indexOf('=');
            if (equals > 0 && piece.substring(0, equals).trim().equalsIgnoreCase(name)) {
                return piece.substring(equals + 1).trim().replace("\"", "");
            }
        }
        return null;
    }

    /** The media type of a Content-Type, without parameters, lower case. */
    static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
    }

    /** Body bytes buffered at {@code position}, reading more if none are; 0 at the body's end (at its delimiter). */
    private int available() throws IOException {
        if (remaining >= 0) {
            if (remaining == 0) {
                if (!ensure(delimiter.length) || !delimiterAt(position)) {
                    throw malformed("a part does not end with a delimiter where its Content-Length says");
                }
                return 0;
            }
            if (position == limit && !fill()) {
                throw cut();
            }
            return (int) Math.min(remaining, limit - position);
        }
        while (true) {
            scan();
            if (bodyEnd > position || delimited) {
                return bodyEnd - position;
            }
            if (!fill()) {
                throw cut();
            }
        }
    }

    private void consume(int n) {
        position += n;
        if (remaining >= 0) {
            remaining -= n;
        }
    }

    /** Extends the known body over the buffered bytes: to the delimiter if it is there, else to where one could start. */
    private void scan() {
        if (delimited) {
            return;
        }
        int found = find(bodyEnd, limit);
        if (found >= 0) {
            bodyEnd = found;
            delimited = true;
        } else {
            bodyEnd = Math.max(bodyEnd, limit - delimiter.length + 1);
        }
    }

    /** The first index in [from, to) where the whole delimiter is, or -1 (Boyer-Moore-Horspool). */
    private int find(int from, int to) {
        int last = delimiter.length - 1;
        byte lastByte = delimiter[last];
        for (int at = from; at + last < to; ) {
            byte b = buffer[at + last];
            if (b == lastByte && delimiterAt(at)) {
                return at;
            }
            at += shift[b & 0xFF];
        }
        return -1;
    }

    private boolean delimiterAt(int at) {
        for (int i = 0; i < delimiter.length; i++) {
            if (buffer[at + i] != delimiter[i]) {
                return false;
            }
        }
        return true;
    }

    /** The part's header fields up to the empty line; then its body starts. */
    private void readHeaders() throws IOException {
        contentType = null;
        long length = -1;
        StringBuilder field = null;
        int headerBytes = 0;
        while (true) {
            int eol = indexOfLf();
            while (eol < 0) {
                if (headerBytes + limit - position > MAX_HEADER_BYTES) {
                    throw malformed("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
                if (!fill()) {
                    throw cut();
                }
                eol = indexOfLf();
            }
            int end = eol > position && buffer[eol - 1] == '\r' ? eol - 1 : eol;
            String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
            headerBytes += eol + 1 - position;
            position = eol + 1;
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && field != null) {
                field.append(' ').append(line.trim()); // a folded line continues the field
                continue;
            }
            if (field != null) {
                length = header(field.toString(), length);
            }
            if (line.isEmpty()) {
                break;
            }
            field = new StringBuilder(line);
        }
        if (contentType == null) {
            contentType = "text/plain"; // RFC 2046 §5.1: a part without Content-Type is text/plain
        }
        startBody(length);
    }

    /** Takes in one header field; returns the Content-Length, the one given before if this is another field. */
    private long header(String field, long length) throws IOException {
        int colon = field.indexOf(':');
        if (colon <= 0) {
            throw malformed("a part's header line has no field name: " + field);
        }
        String name = field.substring(0, colon).trim();
        String value = field.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Type")) {
            contentType = value;
        } else if (name.equalsIgnoreCase("Content-Length")) {
            try {
                long parsed = Long.parseLong(value);
                if (parsed < 0) {
                    throw new NumberFormatException();
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw malformed("a part's Content-Length is " + value);
            }
        }
        return length;
    }

    private int indexOfLf() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void startBody(long length) {
        inBody = true;
        remaining = length;
        bodyEnd = position;
        delimited = false;
    }

    /**
     * What follows the closing delimiter, read (within bounds) so that the answer ends and its connection can be
     * reused. The parts are complete whatever happens here: a failure only costs the connection.
     */
    private void drainEpilogue() {
        position = limit;
        try {
            for (long left = MAX_EPILOGUE_BYTES; left > 0 && fill(); position = limit) {
                left -= limit - position;
            }
        } catch (IOException e) {
            eof = true;
        }
    }

    /** At least {@code n} bytes buffered at {@code position}; false if the answer ends first. */
    private boolean ensure(int n) throws IOException {
        while (limit - position < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more into the buffer (what is left moved to its start first); false at the end of the answer. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            bodyEnd -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    private IOException cut() {
        return new IOException(upstream + ": the multipart answer ended before its closing delimiter");
    }

    private IOException malformed(String what) {
        return new IOException(upstream + " sent a malformed multipart answer: " + what);
    }
}
