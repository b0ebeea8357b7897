package org.dicomweb.gateway.backend.dicomweb;

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
import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendServices;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.TempDirectories;

/**
 * The DICOMweb backend: AEs served by an upstream DICOMweb server (a PACS that speaks DICOMweb, a cloud archive,
 * another gateway), every service passed on over HTTP and streamed in both directions (docs/conformance.md, "AEs
 * served by a DICOMweb upstream").
 */
@ApplicationScoped
public class DicomwebBackend implements Backend {

    public static final String NAME = "dicomweb";

    @Inject
    Upstreams upstreams;

    private BackendServices services;

    @PostConstruct
    void start() {
        GatewaySettings gateway = upstreams.gateway();
        Path spool = TempDirectories.of("dicomweb-proxy");
        services = new BackendServices(new UpstreamQidoService(upstreams), new UpstreamWadoService(upstreams),
                new UpstreamMetadataService(upstreams,
                        new SpoolBudget(gateway.stowMemorySpoolMb(), gateway.stowMemoryPartKb()), spool),
                new UpstreamPixelService(upstreams, spool), new UpstreamStowService(upstreams));
    }

    @Override
    public void check(ConfigSnapshot candidate) {
        upstreams.read(candidate);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The URL and the kind of authentication, never the credentials. */
    @Override
    public AeDescription describe(String aet) {
        UpstreamSettings settings = upstreams.of(aet).settings();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("url", settings.root());
        shown.put("auth", settings.auth().name().toLowerCase());
        shown.put("maxConcurrentRequests", settings.maxConcurrentRequests());
        return new AeDescription(aet, NAME, shown, List.of());
    }

    /** A search for one study ({@code GET {url}/studies?limit=1}), timed: any 2xx answer is a live upstream. */
    @Override
    public CompletionStage<EchoResult> verify(String aet) {
        Upstream upstream = upstreams.of(aet);
        return upstreams.run(aet, "a verification", () -> {
            long start = System.nanoTime();
            try (Upstream.Answer answer = upstream.get("/studies?limit=1", "application/dicom+json",
                    "verification search")) {
                return new EchoResult(aet, (System.nanoTime() - start) / 1e6);
            }
        });
    }

    @Override
    public BackendServices services() {
        return services;
    }
}
