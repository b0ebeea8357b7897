package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * Leases on cached studies for the services that read them: a study not cached is retrieved whole (whatever level was
 * asked, since a viewer goes on to ask for the rest of it) with the PACS's own transfer syntaxes.
 */
public final class StudyLeases {

    private final StudyCache cache;
    private final WadoService source;
    private final Executor executor;

    /** Leases on studies that {@code source} retrieves (and {@code executor} writes into the cache). */
    public StudyLeases(StudyCache cache, WadoService source, Executor executor) {
        this.cache = cache;
        this.source = source;
        this.executor = executor;
    }

    /** The study of {@code request} (its UIDs checked by the HTTP layer; its AE one of the source's). */
    public CompletionStage<CachedStudy> study(String aet, WadoRequest request) {
        WadoRequest wholeStudy = new WadoRequest(request.studyUid(), null, null, WadoRequest.ANY_TRANSFER_SYNTAX);
        return cache.study(aet, request.studyUid(), () -> source.retrieve(aet, wholeStudy), executor);
    }

    /** Reads from a leased study: a file read failing is a bug or a damaged cache, not the client's fault. */
    public interface StudyReader<T> {
        T read(CachedStudy study) throws IOException;
    }

    /** {@code reader}'s answer from the study of {@code request}, the lease closed once it has read. */
    public <T> CompletionStage<T> read(String aet, WadoRequest request, StudyReader<T> reader) {
        return study(aet, request).thenApply(study -> {
            try (study) {
                return reader.read(study);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The instance {@code request} names in its leased study; 404 if the study has no such instance. */
    public static CachedInstance instance(String aet, CachedStudy study, WadoRequest request) {
        return study.instance(request.seriesUid(), request.instanceUid())
                .orElseThrow(() -> new NotFoundInPacsException(aet + " has no " + request.describe()));
    }
}
