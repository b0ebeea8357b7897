package org.dicomweb.gateway.backend.dimse.transfer;

import java.util.function.BooleanSupplier;

import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveOutcome;
import org.dicomweb.gateway.core.backend.TransferOutcome;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.tasks.FailedInstance;

/**
 * What the final response of a direct C-MOVE means (statuses: PS3.4 C.4.2.1.5): an outcome with the PACS's counts
 * (Success, Warning, Cancel; a Success that still counts failed sub-operations too: the caller makes a warning of it),
 * or the refusal of the whole move: Out of Resources (A7xx) as a transient failure, anything else (Move Destination
 * Unknown A801, Unable to Process Cxxx, Identifier Does Not Match A900) as a permanent one: the same request would be
 * refused again. Nothing to move is "not found", whatever status says so (Orthanc answers C000 then). Orthanc also
 * answers C000 when it cannot reach the destination, so an Unable to Process while the destination does not answer a
 * C-ECHO either is taken as the destination being down: transient, so that the task is retried.
 */
record MoveVerdict(String sourceAet, String what, RemoteAe destination) {

    /** HTTP status of a refusal (a PACS that does not know, or cannot serve, the destination): 409 Conflict. */
    private static final int REFUSED = 409;
    private static final int MOVE_DESTINATION_UNKNOWN = 0xA801;

    String operation() {
        return sourceAet + ": C-MOVE of " + what + " to " + destination.aet();
    }

    /**
     * {@code exists}: whether a C-FIND finds what was to be moved; {@code destinationAnswers}: whether the destination
     * answers a C-ECHO; each asked only where the status does not say.
     */
    TransferOutcome of(RetrieveOutcome last, BooleanSupplier exists, BooleanSupplier destinationAnswers) {
        if (last.isCancel()) {
            return outcome(last, true);
        }
        if (last.isSuccess() || last.isWarning()) {
            if (last.nothingDone()) {
                throw new NotFoundInPacsException(sourceAet + " has no " + what);
            }
            return outcome(last, false);
        }
        if (last.status() == MOVE_DESTINATION_UNKNOWN) {
            throw new PeerRejectedException(REFUSED, sourceAet + " does not know the move destination "
                    + destination.aet() + " (AE title " + destination.calledAet() + "): " + last.describe());
        }
        if ((last.status() & 0xFF00) == 0xA700) {
            throw new PeerFailureException(operation() + " failed, the PACS is out of resources: " + last.describe(),
                    null);
        }
        if (last.nothingDone() && !exists.getAsBoolean()) {
            throw new NotFoundInPacsException(sourceAet + " has no " + what);
        }
        if ((last.status() & 0xF000) == 0xC000 && !destinationAnswers.getAsBoolean()) {
            throw new PeerFailureException(operation() + " failed (" + last.describe() + ") and " + destination.aet()
                    + " does not answer a C-ECHO: taken as the destination being down", null);
        }
        throw new PeerRejectedException(REFUSED, operation() + " (AE title " + destination.calledAet()
                + ") refused: " + last.describe());
    }

    private TransferOutcome outcome(RetrieveOutcome last, boolean cancelled) {
        String reason = operation() + " ended with " + last.describe();
        return new TransferOutcome(last.completed(), last.failed(), last.warnings(),
                last.failedInstances().stream().map(uid -> new FailedInstance(uid, reason)).toList(), cancelled);
    }
}
