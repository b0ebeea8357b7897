package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/**
 * Decodes, and perhaps encodes, the frames of one compressed transfer syntax, one frame at a time, so that memory is
 * bounded by a frame whatever the study's size. Native frames are those of Explicit VR Little Endian (PS3.5 §8.1.1,
 * §8.2): little-endian words, the planar configuration {@link #decoded} says. Implementations are stateless and safe
 * for concurrent use.
 */
public interface FrameCodec {

    /** The transfer syntax UID whose encapsulated frames this codec reads and writes. */
    String transferSyntax();

    /** Whether {@link #decode} handles frames of this description (bit depth, samples, photometric interpretation). */
    boolean canDecode(PixelDescription encoded);

    /** Whether {@link #encode} handles native frames of this description. */
    boolean canEncode(PixelDescription nativePixels);

    /** One frame's bitstream (its fragments joined) as native pixels. */
    byte[] decode(byte[] frame, PixelDescription encoded) throws IOException;

    /** One native frame as this syntax's bitstream (one fragment). */
    byte[] encode(byte[] nativeFrame, PixelDescription nativePixels) throws IOException;

    /** How the description reads once frames are decoded (e.g. YBR_FULL_422 becomes RGB, planar configuration 0). */
    PixelDescription decoded(PixelDescription encoded);

    /** How the description reads once native frames are encoded by {@link #encode}. */
    PixelDescription encoded(PixelDescription nativePixels);

    /** Whether {@link #encode} loses information: the data set then says so (Lossy Image Compression, PS3.3 C.7.6.1). */
    boolean lossy();
}
