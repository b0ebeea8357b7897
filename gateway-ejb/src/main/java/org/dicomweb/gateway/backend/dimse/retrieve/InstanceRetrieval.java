package org.dicomweb.gateway.backend.dimse.retrieve;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.dicom.AttributeList;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.WriterHandover;
import org.dicomweb.gateway.core.dicom.Part10;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * One running WADO-RS retrieval over C-GET. The DIMSE thread holding the association runs {@link #run}: it waits for
 * the first incoming instance (or the final answer), hands over, and keeps the association until the writer is done.
 * Each instance goes from the PACS's P-DATA PDUs straight into its multipart part: memory does not grow with the
 * study, and a client that reads slowly slows the PACS (the C-STORE is answered only once the instance is written).
 */
public final class InstanceRetrieval implements RetrievedInstances {

    private static final Logger LOG = Logger.getLogger(InstanceRetrieval.class.getName());

    private final String aet;
    private final String what;
    private final WriterHandover handover;
    private DimseAssociation association;
    private GetExchange get;
    private GetExchange.Incoming first;

    public InstanceRetrieval(String aet, String what) {
        this.aet = aet;
        this.what = what;
        this.handover = new WriterHandover(aet + ": C-GET of " + what, this::cancelQuietly, this::abortAssociation);
    }

    /** {@code stallTimeoutMs}: see {@link WriterHandover#awaitWriter}. */
    public void run(DimseAssociation association, AttributeList identifier, CompletableFuture<RetrievedInstances> started,
            long claimTimeoutMs, long stallTimeoutMs) {
        this.association = association;
        get = GetExchange.start(association, identifier);
        first = get.next();
        if (first == null) {
            throw failureBeforeAnyInstance(get.outcome());
        }
        started.complete(this);
        handover.awaitWriter(claimTimeoutMs, stallTimeoutMs);
    }

    private GatewayException failureBeforeAnyInstance(RetrieveOutcome outcome) {
        if ((outcome.isSuccess() || outcome.isWarning()) && outcome.failed() == 0) {
            return new NotFoundInPacsException(aet + " has no " + what);
        }
        if (outcome.completed() + outcome.failed() + outcome.warnings() == 0) {
            return new NothingToRetrieveException(aet + ": C-GET of " + what + " failed with status 0x"
                    + Integer.toHexString(outcome.status())
                    + (outcome.errorComment().isEmpty() ? "" : " (" + outcome.errorComment() + ")"));
        }
        return new PeerFailureException(aet + ": C-GET of " + what + " failed with status 0x"
                + Integer.toHexString(outcome.status()) + ", " + outcome.failed() + " sub-operations failed"
                + (outcome.errorComment().isEmpty() ? "" : " (" + outcome.errorComment() + ")"), null);
    }

    @Override
    public void writeTo(InstanceSink multipart) throws IOException {
        handover.claim();
        int written = 0;
        try {
            for (GetExchange.Incoming incoming = first; incoming != null; incoming = get.next()) {
                OutputStream part = handover.progress().counting(
                        multipart.nextPart("application/dicom; transfer-syntax=" + incoming.transferSyntax()));
                Part10.writeHeader(part, incoming.sopClassUid(), incoming.sopInstanceUid(), incoming.transferSyntax(), aet);
                get.receive(part);
                written++;
            }
            RetrieveOutcome outcome = get.outcome();
            if (outcome.isSuccess() && outcome.failed() == 0) {
                multipart.finish(null);
            } else if (outcome.isSuccess() || outcome.isWarning()) {
                String report = aet + ": C-GET of " + what + " ended with status 0x" + Integer.toHexString(outcome.status())
                        + ": " + outcome.completed() + " instances sent, " + outcome.failed() + " failed, "
                        + outcome.warnings() + " with warnings";
                LOG.warning(report);
                multipart.finish("Warning: " + report);
            } else {
                throw new PeerFailureException(aet + ": C-GET of " + what + " failed with status 0x"
                        + Integer.toHexString(outcome.status()) + " after " + written + " instances", null);
            }
        } catch (IOException clientGone) {
            cancelQuietly();
            throw clientGone;
        } catch (GatewayException pacsFailure) {
            LOG.warning(aet + ": retrieval of " + what + " failed after " + written + " instances were sent: "
                    + pacsFailure.getMessage());
            throw new IOException(pacsFailure.getMessage(), pacsFailure);
        } finally {
            handover.finished();
        }
    }

    @Override
    public void abandon() {
        handover.abandon();
    }

    private void abortAssociation() {
        association.abort();
    }

    private void cancelQuietly() {
        if (get.outcome() != null) {
            return; // over already
        }
        try {
            get.cancel();
            // The PACS's own word that it stopped (0xFE00 Cancel), or that it had finished before the C-CANCEL came.
            LOG.info(aet + ": C-GET of " + what + " cancelled; the PACS ended it with " + get.outcome().describe());
        } catch (GatewayException e) {
            LOG.log(Level.FINE, aet + ": C-CANCEL of the C-GET failed; the association is aborted", e);
        }
    }
}
