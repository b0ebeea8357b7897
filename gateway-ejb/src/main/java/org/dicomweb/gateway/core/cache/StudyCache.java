package org.dicomweb.gateway.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import org.dicomweb.gateway.core.config.CacheSettings;
import org.dicomweb.gateway.core.config.GatewaySettingsReader;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * Whole studies retrieved from the PACS, kept on disk as Part 10 files for the requests that follow (metadata, then
 * bulk data, instance by instance). Bounded by total size (least recently used studies are evicted first; the one
 * most recently used stays even if it alone exceeds the limit) and by age since retrieval. Concurrent requests for a
 * study that is not cached share one retrieval. Survives redeployment: complete studies found on disk are reused.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN) // guarded by its own monitor, held only for bookkeeping
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED) // nothing transactional: no JTA transaction per call
public class StudyCache {

    private static final Logger LOG = Logger.getLogger(StudyCache.class.getName());

    @Inject
    Config config;

    @Inject
    InstanceIdentifier identifier;

    private CacheSettings settings;
    private CacheLayout layout;
    private final Map<StudyKey, StudyEntry> entries = new HashMap<>();
    private final Map<StudyKey, Fill> fills = new HashMap<>();
    private long bytes;
    private final CacheCounts counts = new CacheCounts();

    @PostConstruct
    void start() {
        open(new GatewaySettingsReader(key -> config.getOptionalValue(key, String.class)).readCache());
    }

    /** Apart from {@link #start} so that a test can run a cache of its own settings. */
    void open(CacheSettings settings) {
        this.settings = settings;
        layout = new CacheLayout(settings.directory());
        try {
            Files.createDirectories(settings.directory());
            layout.recover(identifier).forEach(this::install);
        } catch (IOException e) {
            throw new IllegalStateException("instance cache directory " + settings.directory()
                    + " (gateway.cache.directory) is not usable: " + e.getMessage(), e);
        }
        LOG.info("instance cache in " + settings.directory() + ": " + entries.size() + " studies, " + bytes
                + " bytes kept from before");
    }

    /** How long a reader following an {@link ArrivingCopy} waits for its next instance (gateway.cache.arrival-timeout-ms). */
    public long arrivalTimeoutMs() {
        return settings.arrivalTimeoutMs();
    }

    /** How a copy is judged fresh (gateway.cache.freshness); the services reading the cache check it. */
    public CacheSettings.Freshness freshness() {
        return settings.freshness();
    }

    /**
     * A lease on the study's copy if one within max age is cached, without retrieving anything; not counted as a hit
     * until the caller serves it ({@link #served}), since it may first find the copy stale.
     */
    public synchronized Optional<CachedStudy> cached(String aet, String studyUid) {
        StudyEntry cached = entries.get(new StudyKey(aet, studyUid));
        return cached == null || cached.expired(System.currentTimeMillis(), settings.maxAgeMs()) ? Optional.empty()
                : cached.lease();
    }

    /** Whether the study is being retrieved into the cache now (a read of it would share that retrieval). */
    public synchronized boolean filling(String aet, String studyUid) {
        return fills.containsKey(new StudyKey(aet, studyUid));
    }

    /**
     * The copy of the study being retrieved now, to follow as its instances arrive; empty if none is (the study is
     * cached, or its retrieval just ended: {@link #study} then has the lease).
     */
    public synchronized Optional<ArrivingCopy> arriving(String aet, String studyUid) {
        return Optional.ofNullable(fills.get(new StudyKey(aet, studyUid))).map(Fill::arriving);
    }

    /** A retrieval into the cache under way: its outcome, and its copy as it arrives. */
    private record Fill(CompletableFuture<StudyEntry> outcome, ArrivingCopy arriving) {
    }

    /** Counts a lease from {@link #cached} served as a hit. */
    public void served() {
        counts.hits.increment();
    }

    /** Counts an instance read its caller answers from the PACS past the cache: nothing of the study here. */
    public void fetchingAlone() {
        counts.fetchedAlone.increment();
    }

    /** Counts a copy found stale by its caller (see {@link #refresh}). */
    public void foundStale() {
        counts.stale.increment();
    }

    /**
     * A lease on the study, retrieved with {@code retrieval} (on {@code executor}) unless a fresh copy is cached or
     * being retrieved already. Fails with the retrieval's {@link GatewayException}.
     */
    public CompletionStage<CachedStudy> study(String aet, String studyUid,
            CopyRetrieval retrieval, Executor executor) {
        return study(new StudyKey(aet, studyUid), null, retrieval, executor);
    }

    /**
     * As {@link #study}, for a copy the caller found stale (the PACS's counts differ): that copy, if still the
     * cached one, is evicted (its readers keep their files) and the study retrieved again, or the retrieval another
     * request started meanwhile is shared.
     */
    public CompletionStage<CachedStudy> refresh(CachedStudy stale,
            CopyRetrieval retrieval, Executor executor) {
        foundStale();
        return study(stale.entry().key(), stale.entry(), retrieval, executor);
    }

    private CompletionStage<CachedStudy> study(StudyKey key, StudyEntry stale,
            CopyRetrieval retrieval, Executor executor) {
        Fill fill;
        synchronized (this) {
            StudyEntry cached = entries.get(key);
            long now = System.currentTimeMillis();
            if (cached != null && cached != stale && !cached.expired(now, settings.maxAgeMs())) {
                counts.hits.increment();
                return CompletableFuture.completedFuture(cached.lease().orElseThrow());
            }
            if (cached != null) {
                evict(cached);
            }
            fill = fills.get(key);
            if (fill == null) {
                counts.misses.increment();
                fill = fill(key, retrieval, executor);
            } else {
                counts.shared.increment();
            }
        }
        // Evicted between the fill's end and this lease (only when the cache overflows at once): look again.
        return fill.outcome().thenCompose(entry -> entry.lease()
                .<CompletionStage<CachedStudy>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> study(key, null, retrieval, executor)));
    }

    /** Called holding the monitor: registers the retrieval, so that requests arriving meanwhile wait for it. */
    private Fill fill(StudyKey key, CopyRetrieval retrieval, Executor executor) {
        long startedAt = System.currentTimeMillis();
        ArrivingCopy arriving = new ArrivingCopy("study " + key.studyUid() + " from " + key.aet());
        CompletableFuture<RetrievedInstances> retrieving = retrieval.start(arriving).toCompletableFuture();
        CompletableFuture<StudyEntry> outcome = retrieving
                .thenApplyAsync(instances -> receive(key, startedAt, instances, arriving), executor)
                .exceptionallyCompose(failure -> {
                    Throwable cause = unwrapped(failure);
                    if (cause instanceof RejectedExecutionException) {
                        // No thread to receive it on: the retrieval is given up now, not at its claim timeout.
                        retrieving.thenAccept(RetrievedInstances::abandon);
                        cause = new GatewayBusyException("no free DIMSE thread to cache study " + key.studyUid()
                                + " from " + key.aet() + "; try again later");
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        Fill fill = new Fill(outcome, arriving);
        fills.put(key, fill);
        outcome.whenComplete((entry, failure) -> {
            arriving.ended(failure == null ? null : unwrapped(failure));
            synchronized (this) {
                fills.remove(key);
                if (entry != null) {
                    install(entry);
                    evictOverflow();
                }
            }
        });
        return fill;
    }

    private static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    /**
     * On a DIMSE executor thread: receives each part into staging, then places it in the new copy's directory (where
     * {@code arriving}'s readers find it), and marks the copy complete once the last one is in.
     */
    private StudyEntry receive(StudyKey key, long startedAt, RetrievedInstances instances, ArrivingCopy arriving) {
        Path staging = null;
        Path copy = null;
        CacheFill fill = null;
        try {
            staging = layout.newStagingDirectory();
            copy = layout.newCopyDirectory(key, startedAt);
            fill = new CacheFill(key.aet(), key.studyUid(), staging, copy, identifier, arriving::placed);
            arriving.receivingWith(fill::placeCurrent);
            instances.writeTo(fill);
            if (!fill.finished()) {
                throw new PeerFailureException(key.aet() + ": the retrieval of study " + key.studyUid()
                        + " ended before its last instance", null);
            }
            CacheLayout.markComplete(copy);
            CacheLayout.deleteQuietly(staging);
            List<CachedInstance> received = fill.placed();
            return new StudyEntry(key, copy, startedAt, System.currentTimeMillis(), CacheLayout.sizeOf(received),
                    received);
        } catch (IOException e) {
            discard(staging, copy, fill, arriving);
            throw e.getCause() instanceof GatewayException failure ? failure
                    : new PeerFailureException(key.aet() + ": study " + key.studyUid() + " could not be cached: "
                            + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(staging, copy, fill, arriving);
            throw e;
        }
    }

    /**
     * What a failed retrieval left: the part it was writing closed, then its staging directory deleted, and its copy
     * once no reader follows it.
     */
    private static void discard(Path staging, Path copy, CacheFill fill, ArrivingCopy arriving) {
        if (fill != null) {
            fill.abort();
        }
        if (staging != null) {
            CacheLayout.deleteQuietly(staging);
        }
        if (copy != null) {
            arriving.discardOnceRead(() -> CacheLayout.deleteCopy(copy));
        }
    }

    private void install(StudyEntry entry) {
        entries.put(entry.key(), entry);
        bytes += entry.bytes();
        counts.holding(bytes, entries.size());
    }

    private void evict(StudyEntry entry) {
        if (entries.remove(entry.key(), entry)) {
            bytes -= entry.bytes();
            counts.holding(bytes, entries.size());
            entry.evict();
        }
    }

    private void evictOverflow() {
        while (bytes > settings.maxSizeBytes() && entries.size() > 1) {
            evict(entries.values().stream().min(Comparator.comparingLong(StudyEntry::lastUse)).orElseThrow());
        }
    }

    /** The counts its meters read (docs/metrics.md). */
    public CacheCounts counts() {
        return counts;
    }

    @Schedule(hour = "*", minute = "*", second = "*/30", persistent = false)
    synchronized void evictExpired() {
        long now = System.currentTimeMillis();
        List.copyOf(entries.values()).stream().filter(e -> e.expired(now, settings.maxAgeMs())).forEach(this::evict);
    }
}
