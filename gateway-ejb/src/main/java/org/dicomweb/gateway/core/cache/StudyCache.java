package org.dicomweb.gateway.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.function.Supplier;
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
    private final Map<StudyKey, CompletableFuture<StudyEntry>> fills = new HashMap<>();
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

    /** Counts a lease from {@link #cached} served as a hit. */
    public void served() {
        counts.hits.increment();
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
            Supplier<CompletionStage<RetrievedInstances>> retrieval, Executor executor) {
        return study(new StudyKey(aet, studyUid), null, retrieval, executor);
    }

    /**
     * As {@link #study}, for a copy the caller found stale (the PACS's counts differ): that copy, if still the
     * cached one, is evicted (its readers keep their files) and the study retrieved again, or the retrieval another
     * request started meanwhile is shared.
     */
    public CompletionStage<CachedStudy> refresh(CachedStudy stale,
            Supplier<CompletionStage<RetrievedInstances>> retrieval, Executor executor) {
        foundStale();
        return study(stale.entry().key(), stale.entry(), retrieval, executor);
    }

    private CompletionStage<CachedStudy> study(StudyKey key, StudyEntry stale,
            Supplier<CompletionStage<RetrievedInstances>> retrieval, Executor executor) {
        CompletableFuture<StudyEntry> fill;
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
        return fill.thenCompose(entry -> entry.lease()
                .<CompletionStage<CachedStudy>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> study(key, null, retrieval, executor)));
    }

    /** Called holding the monitor: registers the retrieval, so that requests arriving meanwhile wait for it. */
    private CompletableFuture<StudyEntry> fill(StudyKey key, Supplier<CompletionStage<RetrievedInstances>> retrieval,
            Executor executor) {
        long startedAt = System.currentTimeMillis();
        CompletableFuture<RetrievedInstances> retrieving = retrieval.get().toCompletableFuture();
        CompletableFuture<StudyEntry> fill = retrieving
                .thenApplyAsync(instances -> receive(key, startedAt, instances), executor)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof RejectedExecutionException) {
                        // No thread to receive it on: the retrieval is given up now, not at its claim timeout.
                        retrieving.thenAccept(RetrievedInstances::abandon);
                        cause = new GatewayBusyException("no free DIMSE thread to cache study " + key.studyUid()
                                + " from " + key.aet() + "; try again later");
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        fills.put(key, fill);
        fill.whenComplete((entry, failure) -> {
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

    /** On a DIMSE executor thread: writes the retrieval into staging, then moves it into place in one rename. */
    private StudyEntry receive(StudyKey key, long startedAt, RetrievedInstances instances) {
        Path staging = null;
        CacheFill fill = null;
        try {
            staging = layout.newStagingDirectory();
            fill = new CacheFill(key.aet(), key.studyUid(), staging, identifier);
            instances.writeTo(fill);
            if (!fill.finished()) {
                throw new PeerFailureException(key.aet() + ": the retrieval of study " + key.studyUid()
                        + " ended before its last instance", null);
            }
            long retrievedAt = System.currentTimeMillis();
            Path target = layout.studyDirectory(key, retrievedAt);
            moveIntoPlace(staging, target);
            List<CachedInstance> received = fill.placedIn(target);
            return new StudyEntry(key, target, startedAt, retrievedAt, CacheLayout.sizeOf(received), received);
        } catch (IOException e) {
            discard(staging, fill);
            throw e.getCause() instanceof GatewayException failure ? failure
                    : new PeerFailureException(key.aet() + ": study " + key.studyUid() + " could not be cached: "
                            + e.getMessage(), e);
        } catch (RuntimeException e) {
            discard(staging, fill);
            throw e;
        }
    }

    /** What a failed retrieval left: the part it was writing closed, then the staging directory deleted. */
    private static void discard(Path staging, CacheFill fill) {
        if (fill != null) {
            fill.abort();
        }
        if (staging != null) {
            CacheLayout.deleteQuietly(staging);
        }
    }

    /** The study's directory may be deleted in between by the eviction of its last copy: then it is made again. */
    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (NoSuchFileException studyDirectoryJustDeleted) {
                if (attempt == 3) {
                    throw studyDirectoryJustDeleted;
                }
            }
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
