package org.dicomweb.gateway.wado;

import java.io.IOException;
import java.util.List;

/**
 * Frames of one instance as its cached file holds them: native pixel data (little endian), or the compressed bitstream
 * of each frame; perhaps convertible to other encodings ({@link #transcodable}). It holds an open file: write it or
 * close it, exactly once (a {@link #transcodedTo} view takes that duty over).
 */
public interface Frames extends AutoCloseable {

    /** Native frames, whatever the file's uncompressed transfer syntax: the bytes are those of Explicit VR LE. */
    String NATIVE_MEDIA_TYPE = "application/octet-stream";

    /** A way frames can be written: the parts' media type and the transfer syntax of their bytes. */
    record Encoding(String mediaType, String transferSyntax) {
    }

    /** The transfer syntax the frames are encoded in (for native frames, Explicit VR Little Endian). */
    String transferSyntax();

    /** {@link #NATIVE_MEDIA_TYPE}, or the media type of the compressed bitstream (image/jpeg, image/jls, ...). */
    String mediaType();

    /**
     * The encodings other than their own these frames can be converted to as they are written (compressed frames
     * decoded to native, native ones encoded), in the gateway's order of preference; none by default.
     */
    default List<Encoding> transcodable() {
        return List.of();
    }

    /** These frames converted to one of {@link #transcodable}, each frame as it is written. */
    default Frames transcodedTo(Encoding encoding) {
        throw new IllegalArgumentException("frames in " + transferSyntax() + " are not converted to " + encoding);
    }

    /** Writes one part per frame, each with {@code partContentType}, then the closing delimiter; then closes. */
    void writeTo(MultipartRelated body, String partContentType) throws IOException;

    @Override
    void close();
}
