package org.dicomweb.gateway.backend.s3;

import java.io.IOException;
import java.nio.file.Files;

import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.frames.FrameLayout;
import org.dicomweb.gateway.error.NotAcceptableException;

/**
 * The frame layout the index keeps of an instance (s3_instance.frames), so that a frame is a ranged GET: null where
 * it cannot be told (no pixel data, frames this gateway does not serve), and then frames are read from the object.
 */
public final class StoredFrames {

    private StoredFrames() {
    }

    /**
     * The layout of the object {@code header} was read from; {@code header}'s file may hold only the object's first
     * bytes (the reindex reads headers only): native frames need only the header (and an object as long as its pixel
     * data claims), compressed ones their item headers, so those are told only from a file that holds the whole
     * object ({@code objectSize} bytes).
     */
    public static String layout(InstanceFile header, long objectSize) throws IOException {
        if (header.pixelData().isEmpty()) {
            return null;
        }
        InstanceFile.PixelData pixels = header.pixelData().get();
        if (pixels.encapsulated() ? Files.size(header.file()) < objectSize
                : pixels.offset() + pixels.length() > objectSize) { // an object cut short holds fewer frames
            return null;
        }
        try {
            return FrameLayout.of(header, "instance").encode();
        } catch (NotAcceptableException e) {
            return null;
        }
    }
}
