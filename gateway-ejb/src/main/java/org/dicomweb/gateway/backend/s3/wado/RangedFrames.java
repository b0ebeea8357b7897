package org.dicomweb.gateway.backend.s3.wado;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.core.frames.FrameLayout;
import org.dicomweb.gateway.core.frames.LayoutFrames;
import org.dicomweb.gateway.error.NotFoundInPacsException;

/**
 * Frames written from ranged GETs of the object: one GET per frame, from its first region's start to its last
 * region's end, the item headers between fragments skipped. Nothing is held open between frames.
 */
final class RangedFrames extends LayoutFrames {

    private final Bucket bucket;
    private final String key;

    RangedFrames(Bucket bucket, String key, FrameLayout layout, List<Integer> numbers) {
        super(layout, numbers);
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    protected void writeFrame(List<FrameLayout.Region> regions, OutputStream part) throws IOException {
        long from = regions.get(0).offset();
        FrameLayout.Region last = regions.get(regions.size() - 1);
        try (Bucket.Download download = bucket.get(key, from, last.offset() + last.length() - 1).orElseThrow(
                () -> new NotFoundInPacsException(bucket.settings().aet() + ": " + key + " is missing in the bucket"))) {
            InputStream in = download.body();
            long position = from;
            for (FrameLayout.Region region : regions) {
                in.skipNBytes(region.offset() - position);
                copy(in, part, region.length());
                position = region.offset() + region.length();
            }
        }
    }

    private void copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(count, 1))];
        while (count > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
            if (n < 0) {
                throw new IOException(bucket.settings().aet() + ": " + key + " ended inside a frame");
            }
            out.write(buffer, 0, n);
            count -= n;
        }
    }

    @Override
    public void close() {
        // nothing is held between frames
    }
}
