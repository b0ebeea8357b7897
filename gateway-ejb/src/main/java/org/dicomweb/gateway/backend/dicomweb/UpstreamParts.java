package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * The parts of an upstream's multipart/related answer, one at a time as they arrive (mime4j's streaming parser, as
 * STOW-RS uploads are read): each part's Content-Type with its parameters, and its body as a stream. A body that ends
 * before the closing delimiter is an error, so a cut answer is never taken as complete.
 */
final class UpstreamParts {

    private final MimeTokenStream parts;
    private final String upstream;
    private String contentType;

    UpstreamParts(InputStream body, String contentType, String upstream) {
        this.parts = new MimeTokenStream(MimeConfig.custom().setMaxLineLen(-1).setMaxHeaderLen(-1)
                .setMaxHeaderCount(-1).setMaxContentLen(-1).setStrictParsing(true).build());
        this.upstream = upstream;
        parts.parseHeadless(body, contentType);
    }

    /** Moves to the next part's body: false after the last part. */
    boolean next() throws IOException {
        contentType = null;
        try {
            for (EntityState state = parts.next(); state != EntityState.T_END_OF_STREAM; state = parts.next()) {
                if (state == EntityState.T_FIELD) {
                    Field field = parts.getField();
                    if (field.getName().equalsIgnoreCase("Content-Type")) {
                        contentType = field.getBody().trim();
                    }
                } else if (state == EntityState.T_BODY) {
                    if (contentType == null) {
                        contentType = parts.getBodyDescriptor().getMimeType();
                    }
                    return true;
                }
            }
            return false;
        } catch (MimeException e) {
            throw new IOException(upstream + " sent a malformed multipart body: " + e.getMessage(), e);
        }
    }

    /** The current part's Content-Type as the upstream wrote it (parameters included). */
    String contentType() {
        return contentType;
    }

    /** The current part's body, up to the next delimiter. */
    InputStream body() {
        return parts.getDecodedInputStream();
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
}
