package org.dicomweb.gateway.core.backend;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.EchoResult;
import org.dicomweb.gateway.core.config.ConfigSnapshot;

/**
 * One kind of backend (DIMSE, a DICOMweb upstream, S3): a CDI bean serving every AE whose
 * {@code gateway.aet.<AET>.backend} is its {@link #name}. The {@link BackendRegistry} finds the beans and hands each
 * request to its AE's backend, so the core never names one. A backend reads its own per-AE settings (through
 * {@link org.dicomweb.gateway.core.config.GatewayConfiguration}) and is only ever asked about its own AEs.
 *
 * <p>The services take the AE title like the web layer's, so a backend may serve several AEs; they must not be CDI
 * beans of the service interface types themselves (annotate them {@code @Typed}), because the web layer injects the
 * registry's routing beans by those types.
 */
public interface Backend {

    /** The value of {@code gateway.aet.<AET>.backend} that selects this backend, e.g. {@code dimse}. */
    String name();

    /** What {@code /aets} shows of one of this backend's AEs. */
    AeDescription describe(String aet);

    /**
     * A cheap live check of the AE's peer (a C-ECHO, a small request): for {@code /aets/{aet}} and readiness. Bounded
     * by the AE's own timeouts.
     */
    CompletionStage<EchoResult> verify(String aet);

    /**
     * Reads and validates its keys of a configuration a reload is about to apply (its AEs:
     * {@code candidate.settings().aetsServedBy(name())}), opening nothing: a {@link
     * org.dicomweb.gateway.core.config.ConfigurationException} naming the key refuses the reload. A backend that keeps
     * per-AE state rebuilds it for the changed AEs on {@link org.dicomweb.gateway.core.config.ConfigurationChanged}.
     */
    void check(ConfigSnapshot candidate);

    /** Its services, made once (at deployment). */
    BackendServices services();

    /** How it sends straight to another AE, if it can (retrieval tasks use it); most backends cannot. */
    default Optional<DirectTransfer> directTransfer() {
        return Optional.empty();
    }
}
