package org.dicomweb.gateway.wado;

import java.io.IOException;

/**
 * Frames of one instance as its cached file holds them: native pixel data (little endian), or the compressed bitstream
 * of each frame. It holds an open file: write it or close it, exactly once.
 */
public interface Frames extends AutoCloseable {

    /** Native frames, whatever the file's uncompressed transfer syntax: the bytes are those of Explicit VR LE. */
    String NATIVE_MEDIA_TYPE = "application/octet-stream";

    /** The transfer syntax the frames are encoded in (for native frames, Explicit VR Little Endian). */
    String transferSyntax();

    /** {@link #NATIVE_MEDIA_TYPE}, or the media type of the compressed bitstream (image/jpeg, image/jls, ...). */
    String mediaType();

    /** Writes one part per frame, each with {@code partContentType}, then the closing delimiter; then closes. */
    void writeTo(MultipartRelated body, String partContentType) throws IOException;

    @Override
    void close();
}
