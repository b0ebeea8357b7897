package org.dicomweb.gateway.backend.dimse.store;

import static org.dicomweb.gateway.core.stow.StowOutcomes.PROCESSING_FAILURE;
import static org.dicomweb.gateway.core.stow.StowOutcomes.SOP_CLASS_NOT_SUPPORTED;

import java.nio.file.Path;

import org.dicomweb.gateway.backend.dimse.DimseDevice;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.core.backend.OperationSlots;
import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.stow.SpooledStowTransaction;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.stow.StowResult;

/**
 * One STOW-RS request stored by C-STORE (the bookkeeping is {@link SpooledStowTransaction}'s): each instance on a
 * pooled store association, or on one of its own for what the pooled ones do not propose, within the AE's
 * max-concurrent-stores.
 */
public final class DimseStowTransaction extends SpooledStowTransaction {

    private final RemoteAe ae;
    private final DimseDevice device;

    public DimseStowTransaction(RemoteAe ae, String studyUid, DimseDevice device, Path spool, SpoolBudget budget,
            int parallelStores) {
        super(ae.aet(), studyUid, device.executor(), budget, spool, parallelStores,
                2L * ae.poolWaitTimeoutMs() + ae.connectTimeoutMs() + 3L * ae.dimseTimeoutMs());
        this.ae = ae;
        this.device = device;
    }

    /** The C-STORE, within max-concurrent-stores for the AE; returns a Stored or a Failed. */
    @Override
    protected Object store(SpooledInstance instance) {
        try (OperationSlots.Slot slot = device.storeSlots(ae.aet()).acquire()) {
            int status = StoreExchange.fitsPooledAssociation(instance)
                    ? device.storePool(ae.aet()).execute(association -> StoreExchange.store(association, instance))
                    : storeOnItsOwnAssociation(instance);
            if (status == 0 || (status & 0xF000) == 0xB000) {
                return new StowResult.Stored(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid(),
                        instance.seriesUid(), status == 0 ? null : status);
            }
            return failed(instance, status, ae.aet() + " answered the C-STORE with status 0x"
                    + Integer.toHexString(status));
        } catch (StoreExchange.NotAcceptedException e) {
            return failed(instance, SOP_CLASS_NOT_SUPPORTED, ae.aet() + ": " + e.getMessage());
        } catch (GatewayException e) {
            return failed(instance, PROCESSING_FAILURE, e.getMessage());
        }
    }

    /** Compressed instances, and SOP classes the pooled associations do not propose, on an association of their own. */
    private int storeOnItsOwnAssociation(SpooledInstance instance) {
        DimseAssociation association = DimseAssociation.open(ae, StoreExchange.contextsFor(instance));
        try {
            return StoreExchange.store(association, instance);
        } finally {
            if (association.isUsable()) {
                association.release();
            } else {
                association.abort();
            }
        }
    }

}
