package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.core.cache.ArrivingCopy;
import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.core.cache.CopyRetrieval;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.core.config.CacheSettings.Freshness;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * Leases on cached studies for the services that read them: a study not cached is retrieved whole (whatever level was
 * asked, since a viewer goes on to ask for the rest of it; but see {@link #readInstance}) with the PACS's own transfer
 * syntaxes. Under
 * gateway.cache.freshness=validate a study- or series-level read first compares the PACS's instance counts
 * ({@link StudyCensus}) with the copy's, and retrieves the study again if they differ (a PACS that cannot be asked
 * leaves the copy to answer); an instance-level read (one instance, its frames or bulk data) does not, since a SOP
 * instance does not change. An instance-level read of a study neither cached nor being retrieved fetches just that
 * instance ({@link InstanceFetch}) rather than waiting for the whole study.
 */
public final class StudyLeases {

    private static final Logger LOG = Logger.getLogger(StudyLeases.class.getName());

    private final StudyCache cache;
    private final WadoService source;
    private final QidoService qido;
    private final Executor executor;
    private final Path fetches = TempDirectories.of("instance-fetch");

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
        CopyRetrieval retrieval = arriving -> source.retrieve(aet, wholeStudy);
        CachedStudy copy = cache.freshness() != Freshness.VALIDATE || request.instanceUid() != null ? null
                : cache.cached(aet, request.studyUid()).orElse(null);
        if (copy == null) {
            // A read of one series has it retrieved first, and answered as soon as it is in (see follow).
            return cache.study(aet, request.studyUid(), request.seriesUid() == null ? retrieval
                    : arriving -> SeriesBySeries.start(source, qido, aet, request.studyUid(), request.seriesUid(),
                            arriving, executor, cache.arrivalTimeoutMs()), executor);
        }
        WadoRequest scope = new WadoRequest(request.studyUid(), request.seriesUid(), null, null);
        return StudyCensus.take(qido, aet, scope, executor)
                .handle((census, failure) -> checked(aet, copy, scope, census, failure, retrieval))
                .thenCompose(lease -> lease)
                // Whatever failed on the way, the copy's lease is not left open (a second close does nothing).
                .whenComplete((lease, failure) -> {
                    if (failure != null) {
                        copy.close();
                    }
                });
    }

    /** The copy if the census matches it (or could not be taken), else the study retrieved again. */
    private CompletionStage<CachedStudy> checked(String aet, CachedStudy copy, WadoRequest scope, StudyCensus census,
            Throwable failure, CopyRetrieval retrieval) {
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

    /**
     * Reads a study's copy as it arrives (on a thread of its own), from instances {@link ArrivingCopy#await} gives;
     * it runs {@code done} (once or more) when it no longer needs the copy's files, also if its answer holds them
     * until it is written.
     */
    public interface ArrivalReader<T> {
        T read(ArrivingCopy copy, Runnable done, long timeoutMs);
    }

    /**
     * The study of {@code request}: {@code whileArriving}'s answer if the read found no copy to serve and the study is
     * being retrieved into the cache now, so that it need not wait for the last instance (on an executor thread, which
     * it may keep while it waits and writes: never the retrieval's own); else {@code cached}'s, once the copy is
     * complete.
     */
    public <T> CompletionStage<T> follow(String aet, WadoRequest request, Function<CachedStudy, T> cached,
            ArrivalReader<T> whileArriving) {
        CompletionStage<CachedStudy> lease = study(aet, request);
        Optional<ArrivingCopy> arriving = lease.toCompletableFuture().isDone() ? Optional.empty()
                : cache.arriving(aet, request.studyUid());
        if (arriving.isPresent()) {
            ArrivingCopy copy = arriving.get();
            copy.follow();
            AtomicBoolean followed = new AtomicBoolean(true);
            // The lease, once the copy is in, keeps the files for good; until then, following the copy does.
            Runnable done = () -> {
                if (followed.compareAndSet(true, false)) {
                    lease.thenAccept(CachedStudy::close);
                    copy.unfollow();
                }
            };
            if (request.seriesUid() != null) {
                copy.ask(request.seriesUid());
            }
            try {
                return CompletableFuture.supplyAsync(() -> whileArriving.read(copy, done, cache.arrivalTimeoutMs()),
                        executor).whenComplete((answer, failure) -> {
                            if (failure != null) {
                                done.run();
                            }
                        });
            } catch (RejectedExecutionException noThreadToFollowOn) {
                done.run();
                // then the answer waits for the copy's last instance, as a read of a cached copy
            }
        }
        return lease.thenApply(cached);
    }

    /** Reads from a leased study: a file read failing is a bug or a damaged cache, not the client's fault. */
    public interface StudyReader<T> {
        T read(CachedStudy study) throws IOException;
    }

    /** {@code reader}'s answer from the study of {@code request}, the lease closed once it has read. */
    public <T> CompletionStage<T> read(String aet, WadoRequest request, StudyReader<T> reader) {
        return study(aet, request).thenApply(study -> readLeased(study, reader));
    }

    private static <T> T readLeased(CachedStudy study, StudyReader<T> reader) {
        try (study) {
            return reader.read(study);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one instance's Part 10 file: a file read failing is a bug or a damaged cache, not the client's fault. */
    public interface InstanceReader<T> {
        T read(Path file) throws IOException;
    }

    /**
     * {@code reader}'s answer from the instance {@code request} names: from its study's copy if one is cached (the
     * lease closed once it has read), or being retrieved (read as soon as that instance has arrived), else from that
     * instance retrieved alone and not cached.
     */
    public <T> CompletionStage<T> readInstance(String aet, WadoRequest request, InstanceReader<T> reader) {
        Optional<CachedStudy> copy = cache.cached(aet, request.studyUid());
        if (copy.isEmpty() && !cache.filling(aet, request.studyUid())) {
            cache.fetchingAlone();
            return InstanceFetch.read(source, aet, request, fetches, executor, reader);
        }
        // The lease is taken again through study(), which counts the hit or joins the fill under way.
        copy.ifPresent(CachedStudy::close);
        return follow(aet, request, study -> readLeased(study, s -> reader.read(instance(aet, s, request).file())),
                (arriving, done, timeoutMs) -> {
                    try {
                        return reader.read(arrived(aet, arriving, request, timeoutMs).file());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        done.run();
                    }
                });
    }

    /** The instance {@code request} names once it has arrived; 404 if the copy is complete without it. */
    private static CachedInstance arrived(String aet, ArrivingCopy copy, WadoRequest request, long timeoutMs) {
        for (int index = 0; ; index++) {
            CachedInstance next = copy.await(index, request.seriesUid(), timeoutMs)
                    .orElseThrow(() -> new NotFoundInPacsException(aet + " has no " + request.describe()));
            if (next.seriesUid().equals(request.seriesUid()) && next.sopInstanceUid().equals(request.instanceUid())) {
                return next;
            }
        }
    }

    /** The instance {@code request} names in its leased study; 404 if the study has no such instance. */
    public static CachedInstance instance(String aet, CachedStudy study, WadoRequest request) {
        return study.instance(request.seriesUid(), request.instanceUid())
                .orElseThrow(() -> new NotFoundInPacsException(aet + " has no " + request.describe()));
    }
}
