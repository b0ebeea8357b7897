package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * Frames asked of an instance whose {@link FrameLayout} is known, written one part per frame from wherever the
 * instance lies (a cached file, an object in a bucket): a subclass writes one frame's regions.
 */
public abstract class LayoutFrames implements Frames {

    private final FrameLayout layout;
    private final List<Integer> numbers;

    /** {@code numbers} (from 1) checked against the layout by the caller ({@link FrameLayout#check}). */
    protected LayoutFrames(FrameLayout layout, List<Integer> numbers) {
        this.layout = layout;
        this.numbers = numbers;
    }

    /** Writes the frame's regions, in order, to its part. */
    protected abstract void writeFrame(List<FrameLayout.Region> regions, OutputStream part) throws IOException;

    @Override
    public String transferSyntax() {
        return layout.transferSyntax();
    }

    @Override
    public String mediaType() {
        return layout.mediaType();
    }

    @Override
    public void writeTo(MultipartRelated body, String partContentType) throws IOException {
        try {
            for (int n : numbers) {
                writeFrame(layout.frames().get(n - 1), body.nextPart(partContentType));
            }
            body.finish(null);
        } finally {
            close();
        }
    }
}
