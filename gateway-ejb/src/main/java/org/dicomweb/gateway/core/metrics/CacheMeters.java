package org.dicomweb.gateway.core.metrics;

import java.util.function.ToDoubleFunction;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.dicomweb.gateway.core.cache.CacheCounts;
import org.dicomweb.gateway.core.cache.StudyCache;

/**
 * The study cache's meters (docs/metrics.md): leases by result (hit, shared, miss), bytes and studies held. They read
 * the cache's {@link CacheCounts} when scraped; the cache itself only counts.
 */
@Singleton
@Startup
public class CacheMeters {

    @Inject
    MeterRegistry registry;

    @Inject
    StudyCache cache;

    private MeterSet meters;

    @PostConstruct
    void start() {
        meters = new MeterSet(registry);
        CacheCounts counts = cache.counts();
        requests(counts, "hit", CacheCounts::hits);
        requests(counts, "shared", CacheCounts::shared);
        requests(counts, "miss", CacheCounts::misses);
        requests(counts, "instance", CacheCounts::fetchedAlone);
        meters.add(FunctionCounter.builder(MeterSet.PREFIX + "cache.stale", counts, CacheCounts::stale)
                .description("Cached copies found stale: the PACS's instance counts differed (freshness validate)")
                .register(registry));
        meters.add(Gauge.builder(MeterSet.PREFIX + "cache.size", counts, CacheCounts::bytes).baseUnit("bytes")
                .description("Bytes the cached studies take on disk").strongReference(true).register(registry));
        meters.add(Gauge.builder(MeterSet.PREFIX + "cache.studies", counts, CacheCounts::studies)
                .description("Studies in the cache").strongReference(true).register(registry));
    }

    private void requests(CacheCounts counts, String result, ToDoubleFunction<CacheCounts> count) {
        meters.add(FunctionCounter.builder(MeterSet.PREFIX + "cache.requests", counts, count)
                .description("Study cache reads by result: hit (served from the cache), shared (waited for a"
                        + " retrieval under way), miss (started a retrieval of the whole study), instance (one"
                        + " instance retrieved alone, past the cache: nothing of its study cached or arriving)")
                .tag("result", result).register(registry));
    }

    @PreDestroy
    void stop() {
        meters.close();
    }
}
