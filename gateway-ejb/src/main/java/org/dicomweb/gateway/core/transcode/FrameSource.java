package org.dicomweb.gateway.core.transcode;

import java.io.IOException;

/** The frames of one Pixel Data value, read one at a time as they stream in. */
interface FrameSource {

    /** The next frame (native pixels, or one frame's bitstream with its fragments joined), null after the last. */
    byte[] next() throws IOException;
}
