package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * Leases on cached studies for the services that read them: a study not cached is retrieved whole (whatever level was
 * asked, since a viewer goes on to ask for the rest of it) with the PACS's own transfer syntaxes. Under
 * gateway.cache.freshness=validate a study- or series-level read first compares the PACS's instance counts
 * ({@link StudyCensus}) with the copy's, and retrieves the study again if they differ (a PACS that cannot be asked
 * leaves the copy to answer); an instance-level read (one instance, its frames or bulk data) does not, since a SOP
 * instance does not change.
 */
public final class StudyLeases {

    private static final Logger LOG = Logger.getLogger(StudyLeases.class.getName());

    private final StudyCache cache;
    private final WadoService source;
    private final QidoService qido;
    private final Executor executor;

    /**
     * Leases on studies that {@code source} retrieves (and {@code executor} writes into the cache), checked against
     * {@code qido}, the same AEs' searches.
     */
    public StudyLeases(StudyCache cache, WadoService source, QidoService qido, Executor executor) {
        this.cache = cache;
        this.source = source;
        this.qido = qido;
        this.executor = executor;
    }

    /** The study of {@code request} (its UIDs checked by the HTTP layer; its AE one of the source's). */
    public CompletionStage<CachedStudy> study(String aet, WadoRequest request) {
        WadoRequest wholeStudy = new WadoRequest(request.studyUid(), null, null, WadoRequest.ANY_TRANSFER_SYNTAX);
        Supplier<CompletionStage<RetrievedInstances>> retrieval = () -> source.retrieve(aet, wholeStudy);
        CachedStudy copy = cache.freshness() != Freshness.VALIDATE || request.instanceUid() != null ? null
                : cache.cached(aet, request.studyUid()).orElse(null);
        if (copy == null) {
            return cache.study(aet, request.studyUid(), retrieval, executor);
        }
        WadoRequest scope = new WadoRequest(request.studyUid(), request.seriesUid(), null, null);
        return StudyCensus.take(qido, aet, scope, executor)
                .handle((census, failure) -> checked(aet, copy, scope, census, failure, retrieval))
                .thenCompose(lease -> lease);
    }

    /** The copy if the census matches it (or could not be taken), else the study retrieved again. */
    private CompletionStage<CachedStudy> checked(String aet, CachedStudy copy, WadoRequest scope, StudyCensus census,
            Throwable failure, Supplier<CompletionStage<RetrievedInstances>> retrieval) {
        if (failure != null || census.matches(copy, scope, true)) {
            if (failure != null) {
                // The PACS cannot say (unreachable, or refused the search): the copy answers, as it did before the
                // check existed; a retrieval would fail the same way.
                LOG.log(Level.INFO, aet + ": no instance counts for " + scope.describe()
                        + ", so the cached copy answers unchecked: " + failure.getMessage());
            }
            cache.served();
            return CompletableFuture.completedFuture(copy);
        }
        CompletionStage<CachedStudy> fresh;
        try {
            fresh = cache.refresh(copy, retrieval, executor);
        } finally {
            copy.close();
        }
        return fresh.thenApply(study -> {
            census.acknowledgeFor(study);
            return study;
        });
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
