package org.dicomweb.gateway.backend.deidentify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.core.backend.Backend;
import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.core.backend.BackendServices;
import org.dicomweb.gateway.core.cache.StudyCache;
import org.dicomweb.gateway.core.concurrent.GatewayExecutor;
import org.dicomweb.gateway.core.config.ConfigSnapshot;
import org.dicomweb.gateway.core.config.ConfigurationChanged;
import org.dicomweb.gateway.core.config.GatewayConfiguration;
import org.dicomweb.gateway.core.config.GatewaySettings;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.core.deid.BasicProfile;
import org.dicomweb.gateway.core.deid.Deidentification;
import org.dicomweb.gateway.core.deid.KeyedHashPseudonyms;
import org.dicomweb.gateway.core.wado.CachedMetadataService;
import org.dicomweb.gateway.core.wado.CachedPixelService;
import org.dicomweb.gateway.core.wado.CachedWadoService;
import org.dicomweb.gateway.core.wado.StudyLeases;
import org.dicomweb.gateway.error.ConflictException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.wado.WadoService;

/**
 * The de-identifying backend: AEs that serve another AE's data through the PS3.15 Basic Application Level
 * Confidentiality Profile (docs/conformance.md, "De-identified AEs"). It holds no data of its own: QIDO-RS and WADO-RS
 * go to the source AE's backend through the {@link BackendRegistry} (never naming one), the answers are de-identified
 * on their way, and metadata, bulk data, frames and rendered images come from the study cache filled with
 * de-identified instances, under this AE and the pseudonym UIDs. Retrieval tasks from such an AE read through the
 * same services, so they deliver de-identified instances; STOW-RS to it is refused (409).
 */
@ApplicationScoped
public class DeidentifyBackend implements Backend {

    public static final String NAME = "deidentify";

    @Inject
    GatewayConfiguration configuration;

    @Inject
    BackendRegistry registry;

    @Inject
    UidMap uids;

    @Inject
    StudyCache cache;

    @Resource(lookup = GatewayExecutor.JNDI)
    ManagedExecutorService executor;

    private volatile Map<String, DeidentifiedAe> aes = Map.of();
    private BackendServices services;

    @PostConstruct
    void start() {
        aes = build(DeidentifySettingsReader.read(configuration.snapshot()), Map.of());
        GatewaySettings gateway = configuration.settings();
        DeidentifyingQido qido = new DeidentifyingQido(this::ae, registry, uids,
                () -> configuration.settings().qidoMaxResults());
        WadoService wado = new CachedWadoService(cache, new DeidentifyingWado(this::ae, registry, uids, true), qido,
                executor);
        StudyLeases leases = new StudyLeases(cache, new DeidentifyingWado(this::ae, registry, uids, false), qido,
                executor);
        services = new BackendServices(qido, wado,
                new CachedMetadataService(leases, gateway.wadoBulkDataThresholdBytes()),
                new RefusalsAsConflicts(new CachedPixelService(leases), uids),
                (aet, studyUid) -> {
                    throw new ConflictException(ae(aet).aet() + " is a de-identifying AE of " + ae(aet).source()
                            + ": it stores nothing (store into " + ae(aet).source() + " itself)");
                });
    }

    /** An AE whose settings did not change keeps its de-identification. */
    private static Map<String, DeidentifiedAe> build(Map<String, DeidentifySettings> settings,
            Map<String, DeidentifiedAe> previous) {
        Map<String, DeidentifiedAe> built = new LinkedHashMap<>();
        settings.forEach((aet, wanted) -> {
            DeidentifiedAe old = previous.get(aet);
            built.put(aet, old != null && old.settings().equals(wanted) ? old
                    : new DeidentifiedAe(wanted, deidentification(wanted)));
        });
        return Map.copyOf(built);
    }

    /** The profile of the AE's options, its pseudonyms keyed with the secret and the AE's name. */
    private static Deidentification deidentification(DeidentifySettings settings) {
        try {
            return BasicProfile.of(settings.aet(), settings.options(), settings.secret(),
                    new KeyedHashPseudonyms(settings.secret(), settings.aet()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("gateway.aet." + settings.aet() + ".*", e.getMessage());
        }
    }

    void reconfigure(@Observes ConfigurationChanged change) {
        aes = build(DeidentifySettingsReader.read(change.current()), aes);
    }

    DeidentifiedAe ae(String aet) {
        DeidentifiedAe ae = aes.get(aet);
        if (ae == null) {
            throw new UnknownAeException(aet);
        }
        return ae;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The source and the options; never the secret. */
    @Override
    public AeDescription describe(String aet) {
        return new AeDescription(aet, NAME, DeidentifySettingsReader.shown(ae(aet).settings()), List.of());
    }

    /** The source's own check: a de-identifying AE is as live as the AE it reads through. */
    @Override
    public CompletionStage<EchoResult> verify(String aet) {
        String source = ae(aet).source();
        return registry.backend(source).verify(source).thenApply(echo -> new EchoResult(aet, echo.roundTripMs()));
    }

    @Override
    public void check(ConfigSnapshot candidate) {
        DeidentifySettingsReader.read(candidate).values().forEach(DeidentifyBackend::deidentification);
    }

    @Override
    public BackendServices services() {
        return services;
    }
}
