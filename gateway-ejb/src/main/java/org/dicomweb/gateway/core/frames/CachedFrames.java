package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.List;

import org.dicomweb.gateway.core.dicom.FileCopy;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;

/**
 * The frames asked of a cached instance, sent from its file. The file is opened at once, so the frames stay readable
 * after the cache lease is closed, even if the study is evicted (an open file outlives its deletion).
 */
public final class CachedFrames implements Frames {

    private final FileChannel channel;
    private final FrameLayout layout;
    private final List<Integer> numbers;

    private CachedFrames(FileChannel channel, FrameLayout layout, List<Integer> numbers) {
        this.channel = channel;
        this.layout = layout;
        this.numbers = numbers;
    }

    /** Frames {@code numbers} (from 1) of the instance; 404 for a number beyond its frames. */
    public static Frames open(InstanceFile instance, List<Integer> numbers, String what) throws IOException {
        FrameLayout layout = FrameLayout.of(instance, what);
        layout.check(numbers, what);
        return new CachedFrames(FileChannel.open(instance.file()), layout, numbers);
    }

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
        try (channel) {
            for (int n : numbers) {
                OutputStream part = body.nextPart(partContentType);
                for (FrameLayout.Region region : layout.frames().get(n - 1)) {
                    FileCopy.transfer(channel, region.offset(), region.length(), part);
                }
            }
            body.finish(null);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
