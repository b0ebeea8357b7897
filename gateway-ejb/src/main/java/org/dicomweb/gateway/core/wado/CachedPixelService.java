package org.dicomweb.gateway.core.wado;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.frames.CachedFrames;
import org.dicomweb.gateway.core.frames.FrameRenderer;
import org.dicomweb.gateway.core.frames.RepresentativeInstance;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/** {@link WadoPixelService} from the study cache, as {@link CachedMetadataService} serves metadata. */
public final class CachedPixelService implements WadoPixelService {

    private final StudyLeases leases;

    public CachedPixelService(StudyLeases leases) {
        this.leases = leases;
    }

    @Override
    public CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers) {
        return leases.readInstance(aet, instance, file -> CachedFrames.open(InstanceFile.read(file), frameNumbers,
                instance.describe()));
    }

    @Override
    public CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering) {
        if (target.instanceUid() != null) {
            return leases.readInstance(aet, target, file -> FrameRenderer.render(file, frame, rendering,
                    "instance " + target.instanceUid()));
        }
        return leases.read(aet, target, study -> {
            CachedInstance instance = RepresentativeInstance.of(study, target.seriesUid())
                    .orElseThrow(() -> new NotFoundInPacsException(aet + " has no " + target.describe()));
            return FrameRenderer.render(instance.file(), frame, rendering, "instance " + instance.sopInstanceUid());
        });
    }
}
