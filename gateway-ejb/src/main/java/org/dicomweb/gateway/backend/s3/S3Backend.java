package org.dicomweb.gateway.backend.s3;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.backend.s3.qido.S3QidoService;
import org.dicomweb.gateway.backend.s3.stow.S3StowService;
import org.dicomweb.gateway.backend.s3.wado.S3MetadataService;
import org.dicomweb.gateway.backend.s3.wado.S3PixelService;
import org.dicomweb.gateway.backend.s3.wado.S3WadoService;
import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendServices;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.TempDirectories;

/**
 * The S3 backend: AEs whose instances are objects in a bucket (docs/conformance.md, "AEs served from S3"), with an
 * index in the gateway's database for QIDO-RS and for finding objects without listing the bucket.
 */
@ApplicationScoped
public class S3Backend implements Backend {

    public static final String NAME = "s3";

    @Inject
    S3Buckets buckets;

    @Inject
    InstanceIndex index;

    private BackendServices services;

    @PostConstruct
    void start() {
        GatewaySettings gateway = buckets.gateway();
        Path spool = TempDirectories.of("s3");
        // Retrievals spool fetched-ahead objects in the memory STOW-RS may use too (gateway.stow.memory-spool-mb).
        SpoolBudget reads = new SpoolBudget(gateway.stowMemorySpoolMb(), gateway.stowMemoryPartKb());
        services = new BackendServices(new S3QidoService(buckets, index),
                new S3WadoService(buckets, index, reads, spool), new S3MetadataService(buckets, index, spool),
                new S3PixelService(buckets, index, spool), new S3StowService(buckets, index, spool));
    }

    @Override
    public void check(ConfigSnapshot candidate) {
        buckets.read(candidate);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Where the objects are and how the gateway signs in, never the keys. */
    @Override
    public AeDescription describe(String aet) {
        S3Settings settings = buckets.of(aet).settings();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("bucket", settings.bucket());
        shown.put("prefix", settings.prefix());
        shown.put("endpoint", settings.endpoint() == null ? "aws" : settings.endpoint().toString());
        shown.put("region", settings.region());
        shown.put("credentials", settings.credentials().name().toLowerCase());
        shown.put("maxConcurrentRequests", settings.maxConcurrentRequests());
        return new AeDescription(aet, NAME, shown, List.of());
    }

    /** A one-key listing (missing bucket, refused credentials) and a query of the index (database down), timed. */
    @Override
    public CompletionStage<EchoResult> verify(String aet) {
        Bucket bucket = buckets.of(aet);
        return buckets.run(aet, "a verification", () -> {
            long start = System.nanoTime();
            bucket.verify();
            index.ping(aet);
            return new EchoResult(aet, (System.nanoTime() - start) / 1e6);
        });
    }

    @Override
    public BackendServices services() {
        return services;
    }
}
