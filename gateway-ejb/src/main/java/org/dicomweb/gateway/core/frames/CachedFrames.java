package org.dicomweb.gateway.core.frames;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.List;

import org.dicomweb.gateway.core.dicom.FileCopy;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.wado.Frames;

/**
 * The frames asked of a cached instance, sent from its file. The file is opened at once, so the frames stay readable
 * after the cache lease is closed, even if the study is evicted (an open file outlives its deletion).
 */
public final class CachedFrames extends LayoutFrames {

    private final FileChannel channel;

    private CachedFrames(FileChannel channel, FrameLayout layout, List<Integer> numbers) {
        super(layout, numbers);
        this.channel = channel;
    }

    /** Frames {@code numbers} (from 1) of the instance; 404 for a number beyond its frames. */
    public static Frames open(InstanceFile instance, List<Integer> numbers, String what) throws IOException {
        FrameLayout layout = FrameLayout.of(instance, what);
        layout.check(numbers, what);
        return new CachedFrames(FileChannel.open(instance.file()), layout, numbers);
    }

    @Override
    protected void writeFrame(List<FrameLayout.Region> regions, OutputStream part) throws IOException {
        for (FrameLayout.Region region : regions) {
            FileCopy.transfer(channel, region.offset(), region.length(), part);
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
