package org.dicomweb.gateway.core.backend;

import org.dicomweb.gateway.wado.WadoRequest;

/**
 * A backend's way of sending what one of its AEs holds straight to another configured AE, without the instances
 * passing through the gateway (DIMSE: a C-MOVE whose Move Destination is the other AE). Optional: the task runner
 * uses it where {@link #reaches} says so, and otherwise retrieves and stores through the gateway.
 */
public interface DirectTransfer {

    /** Whether {@code sourceAet}'s peer knows {@code destinationAet} and can send to it directly. */
    boolean reaches(String sourceAet, String destinationAet);

    /**
     * Sends the study, series or instance of {@code what} (its transfer syntax is ignored) and returns the peer's
     * final counts. Reports each sub-operation as the peer reports it; stops (C-CANCEL) when {@code progress} says the
     * task is cancelled. Throws a {@link org.dicomweb.gateway.error.GatewayException} when the peer fails or refuses
     * as a whole (nothing matched: {@link org.dicomweb.gateway.error.NotFoundInPacsException}).
     */
    TransferOutcome transfer(String sourceAet, WadoRequest what, String destinationAet, TransferProgress progress);
}
