package org.dicomweb.gateway.backend.deidentify;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.error.ConflictException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * Frames and rendered images of a de-identifying AE from its study cache, where an instance the profile refused is
 * absent: asked for by its pseudonym, it answers 409 with the reason recorded in the {@link UidMap} rather than a
 * 404, which would tell a client the instance does not exist.
 */
final class RefusalsAsConflicts implements WadoPixelService {

    private final WadoPixelService cached;
    private final UidMap uids;

    RefusalsAsConflicts(WadoPixelService cached, UidMap uids) {
        this.cached = cached;
        this.uids = uids;
    }

    @Override
    public CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers) {
        return cached.frames(aet, instance, frameNumbers).exceptionally(e -> refusedOrRethrow(aet, instance, e));
    }

    @Override
    public CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering) {
        return cached.rendered(aet, target, frame, rendering).exceptionally(e -> refusedOrRethrow(aet, target, e));
    }

    private <T> T refusedOrRethrow(String aet, WadoRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : failure;
        if (cause instanceof NotFoundInPacsException && request.instanceUid() != null) {
            uids.refusal(aet, request.instanceUid()).ifPresent(reason -> {
                throw new ConflictException(aet + " refuses instance " + request.instanceUid() + ": " + reason);
            });
        }
        throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(cause);
    }
}
