package org.dicomweb.gateway.core.frames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * Frames asked of an instance whose {@link FrameLayout} is known, written one part per frame from wherever the
 * instance lies (a cached file, an object in a bucket): a subclass writes one frame's regions. They can be written
 * converted by the gateway's codecs ({@link FrameConversion}).
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
    public List<Encoding> transcodable() {
        return FrameConversion.targets(layout);
    }

    @Override
    public Frames transcodedTo(Encoding encoding) {
        FrameConversion conversion = FrameConversion.to(layout, encoding);
        LayoutFrames source = this;
        return new Frames() {
            @Override
            public String transferSyntax() {
                return encoding.transferSyntax();
            }

            @Override
            public String mediaType() {
                return encoding.mediaType();
            }

            @Override
            public void writeTo(MultipartRelated body, String partContentType) throws IOException {
                source.writeTo(body, partContentType, conversion);
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    @Override
    public void writeTo(MultipartRelated body, String partContentType) throws IOException {
        writeTo(body, partContentType, null);
    }

    /** Each frame as held, or read whole, converted and written: memory holds one frame at a time. */
    private void writeTo(MultipartRelated body, String partContentType, FrameConversion conversion)
            throws IOException {
        try {
            for (int n : numbers) {
                List<FrameLayout.Region> regions = layout.frames().get(n - 1);
                if (conversion == null) {
                    writeFrame(regions, body.nextPart(partContentType));
                    continue;
                }
                long length = regions.stream().mapToLong(FrameLayout.Region::length).sum();
                ByteArrayOutputStream frame = new ByteArrayOutputStream(Math.toIntExact(length));
                writeFrame(regions, frame);
                byte[] converted = conversion.apply(frame.toByteArray(), n);
                body.nextPart(partContentType).write(converted);
            }
            body.finish(null);
        } finally {
            close();
        }
    }
}
