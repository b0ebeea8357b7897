package org.dicomweb.gateway.backend.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.store.DimseStowTransaction;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.TempDirectories;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.stow.StowTransaction;

/** {@link StowService} over C-STORE. */
@ApplicationScoped
@Typed(DimseStowService.class) // not a bean of the service type: the web layer gets the BackendRouter
public class DimseStowService implements StowService {

    @Inject
    DimseDevice device;

    private SpoolBudget budget;

    @Override
    public StowTransaction begin(String aet, String studyUid) {
        RemoteAe ae = device.settings().remoteAe(aet).orElseThrow(() -> new UnknownAeException(aet));
        return new DimseStowTransaction(ae, studyUid, device, TempDirectories.of("dicomweb-stow"), budget(),
                device.gateway().stowParallelStores());
    }

    /** One budget for all uploads: memory held by waiting parts stays bounded however many clients upload. */
    private synchronized SpoolBudget budget() {
        if (budget == null) {
            budget = new SpoolBudget(device.gateway().stowMemorySpoolMb(), device.gateway().stowMemoryPartKb());
        }
        return budget;
    }
}
