package org.dicomweb.gateway.backend.s3.wado;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.S3Buckets;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.frames.CachedFrames;
import org.dicomweb.gateway.core.frames.FrameLayout;
import org.dicomweb.gateway.core.frames.FrameRenderer;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * WADO-RS frames as ranged GETs of the instance's object, where the index holds the frame layout (native pixel data,
 * or compressed frames told apart at STOW-RS); otherwise, and for rendered resources, from the object downloaded to a
 * temporary file. The representative instance of a series or study is chosen as the core's cache chooses it: the
 * middle instance of the first series, in series and instance number order.
 */
public final class S3PixelService implements WadoPixelService {

    private final S3Buckets buckets;
    private final InstanceIndex index;
    private final Path spool;

    public S3PixelService(S3Buckets buckets, InstanceIndex index, Path spool) {
        this.buckets = buckets;
        this.index = index;
        this.spool = spool;
    }

    @Override
    public CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers) {
        Bucket bucket = buckets.of(aet);
        return buckets.run(aet, "frames", () -> {
            IndexedInstance stored = one(index, aet, instance);
            if (stored.frames() != null) {
                FrameLayout layout = FrameLayout.decode(stored.frames());
                layout.check(frameNumbers, instance.describe());
                return new RangedFrames(bucket, stored.key(), layout, frameNumbers);
            }
            try (ObjectFiles.ObjectFile file = ObjectFiles.download(bucket, stored, spool)) {
                return CachedFrames.open(InstanceFile.read(file.path()), frameNumbers, instance.describe());
            }
        });
    }

    @Override
    public CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering) {
        Bucket bucket = buckets.of(aet);
        return buckets.run(aet, "a rendering", () -> {
            IndexedInstance chosen = representative(index.instances(aet, target), aet, target);
            try (ObjectFiles.ObjectFile file = ObjectFiles.download(bucket, chosen, spool)) {
                return FrameRenderer.render(file.path(), frame, rendering, "instance " + chosen.sopInstanceUid());
            }
        });
    }

    /** The one instance asked; 404 if the index has no CREATED instance of that UID in that study and series. */
    static IndexedInstance one(InstanceIndex index, String aet, WadoRequest instance) {
        List<IndexedInstance> found = index.instances(aet, instance);
        if (found.isEmpty()) {
            throw new NotFoundInPacsException(aet + " has no " + instance.describe());
        }
        return found.get(0);
    }

    private static IndexedInstance representative(List<IndexedInstance> ordered, String aet, WadoRequest target) {
        if (ordered.isEmpty()) {
            throw new NotFoundInPacsException(aet + " has no " + target.describe());
        }
        String firstSeries = ordered.get(0).seriesUid();
        List<IndexedInstance> series = ordered.stream().filter(i -> i.seriesUid().equals(firstSeries)).toList();
        return series.get((series.size() - 1) / 2);
    }
}
