package org.dicomweb.gateway.core.wado;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS instance retrieval from the study cache where it holds what was asked, fresh (gateway.cache.freshness), and
 * in the syntax asked ("*", or every file already in it); else from {@code source}, as without a cache. Under
 * {@code validate} a study or series is served only if the PACS's instance counts ({@link StudyCensus}) equal the
 * files the copy holds, never counts merely acknowledged: a copy a de-identifying AE filled without the instances it
 * refused goes to the source, which reports them. One instance needs no check: a SOP instance does not change.
 */
public final class CachedWadoService implements WadoService {

    private static final Logger LOG = Logger.getLogger(CachedWadoService.class.getName());

    private final StudyCache cache;
    private final WadoService source;
    private final QidoService qido;
    private final Executor executor;

    /** {@code qido}: the same AE's searches, for the census; {@code executor}: where its answer is read. */
    public CachedWadoService(StudyCache cache, WadoService source, QidoService qido, Executor executor) {
        this.cache = cache;
        this.source = source;
        this.qido = qido;
        this.executor = executor;
    }

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        if (cache.freshness() == Freshness.ALWAYS) {
            return source.retrieve(aet, request);
        }
        CachedStudy copy = cache.cached(aet, request.studyUid()).orElse(null);
        if (copy == null) {
            return source.retrieve(aet, request);
        }
        List<CachedInstance> selected = select(copy, request);
        if (selected.isEmpty() || !inSyntax(selected, request.transferSyntax())) {
            copy.close();
            return source.retrieve(aet, request);
        }
        if (request.instanceUid() != null || cache.freshness() == Freshness.TRUST) {
            return CompletableFuture.completedFuture(serve(copy, selected));
        }
        return StudyCensus.take(qido, aet, request, executor)
                .handle((census, failure) -> {
                    if (failure != null) {
                        // Logged where an operator sees it: every such read costs the PACS a whole retrieval.
                        LOG.log(Level.INFO, aet + ": no instance counts for " + request.describe()
                                + ", so it is retrieved from the PACS: " + failure.getMessage());
                        return false;
                    }
                    return census.matches(copy, request, false);
                })
                .thenCompose(fresh -> {
                    if (fresh) {
                        return CompletableFuture.completedFuture(serve(copy, selected));
                    }
                    copy.close();
                    cache.foundStale();
                    return source.retrieve(aet, request);
                })
                // Whatever failed on the way (the census read, the copy's files), the lease is not left open;
                // closing it again after it was handed over or closed above does nothing.
                .whenComplete((retrieval, failure) -> {
                    if (failure != null) {
                        copy.close();
                    }
                });
    }

    @Override
    public List<String> transferSyntaxes(String aet) {
        return source.transferSyntaxes(aet);
    }

    private RetrievedInstances serve(CachedStudy copy, List<CachedInstance> selected) {
        RetrievedInstances served = new CachedRetrieval(copy, selected);
        cache.served();
        return served;
    }

    /** The instances of the study, series or instance asked, in the order a study's files are listed. */
    static List<CachedInstance> select(CachedStudy copy, WadoRequest request) {
        return copy.instances().stream()
                .filter(i -> request.seriesUid() == null || i.seriesUid().equals(request.seriesUid()))
                .filter(i -> request.instanceUid() == null || i.sopInstanceUid().equals(request.instanceUid()))
                .toList();
    }

    private static boolean inSyntax(List<CachedInstance> instances, String transferSyntax) {
        return WadoRequest.ANY_TRANSFER_SYNTAX.equals(transferSyntax)
                || instances.stream().allMatch(i -> i.transferSyntaxUid().equals(transferSyntax));
    }
}
