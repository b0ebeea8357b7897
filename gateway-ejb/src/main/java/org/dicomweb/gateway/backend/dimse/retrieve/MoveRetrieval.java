package org.dicomweb.gateway.backend.dimse.retrieve;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.backend.dimse.association.WriterProgress;
import org.dicomweb.gateway.backend.dimse.config.MoveRouting;
import org.dicomweb.gateway.backend.dimse.scp.MoveRouter;
import org.dicomweb.gateway.core.dicom.ImplicitExplicitConverter;
import org.dicomweb.gateway.core.dicom.Part10;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * One running WADO-RS retrieval over C-MOVE. A DIMSE thread sends the C-MOVE and reads its responses
 * ({@link #run}); the PACS's C-STOREs arrive on Storage SCP threads, which {@link MoveRouter} sends to
 * {@link #deliver}: each instance is written into its multipart part as its PDUs arrive, and its C-STORE answered only
 * then, so a slow client slows the PACS, not the heap. The first instance hands the retrieval over to the writer.
 */
public final class MoveRetrieval implements RetrievedInstances {

    static final int STORE_SUCCESS = 0x0000;
    /** C-STORE "Refused: Out of Resources" (PS3.4 B.2.3): what an instance nobody can take gets. */
    public static final int STORE_REFUSED = 0xA700;
    private static final Logger LOG = Logger.getLogger(MoveRetrieval.class.getName());

    private final String aet;
    private final String what;
    private final String originatorAet;
    private final String pacsAet;
    private final int messageId;
    private final MoveRouting routing;
    private final Set<String> expectedInstances;
    private final CompletableFuture<RetrievedInstances> started;
    private final Executor executor;
    private final long claimTimeoutMs;
    private final long stallTimeoutMs;
    private final WriterProgress progress = new WriterProgress();
    /** The transfer syntax the client asked for, or null for any. */
    private final String wantedTransferSyntax;
    private final Object parts = new Object();
    private final CountDownLatch claimed = new CountDownLatch(1);
    private final CountDownLatch answered = new CountDownLatch(1);
    private InstanceSink sink;
    private boolean handedOver;
    /** Set once the response is finished or failed: a late instance is refused, never written after the end. */
    private boolean closed;
    private volatile boolean broken;
    private int delivered;
    private volatile RetrieveOutcome outcome;
    private volatile GatewayException failure;
    private volatile MoveExchange move;

    public MoveRetrieval(String aet, String what, String originatorAet, String pacsAet, int messageId, MoveRouting routing,
            Set<String> expectedInstances, CompletableFuture<RetrievedInstances> started, Executor executor,
            long claimTimeoutMs, long stallTimeoutMs, String wantedTransferSyntax) {
        this.aet = aet;
        this.what = what;
        this.originatorAet = originatorAet;
        this.pacsAet = pacsAet;
        this.messageId = messageId;
        this.routing = routing;
        this.expectedInstances = expectedInstances;
        this.started = started;
        this.executor = executor;
        this.claimTimeoutMs = claimTimeoutMs;
        this.stallTimeoutMs = stallTimeoutMs;
        this.wantedTransferSyntax = wantedTransferSyntax;
    }

    public int messageId() {
        return messageId;
    }

    public String originatorAet() {
        return originatorAet;
    }

    public MoveRouting routing() {
        return routing;
    }

    public String aet() {
        return aet;
    }

    public Set<String> expectedInstances() {
        return expectedInstances;
    }

    public boolean sentBy(String callingAet) {
        return pacsAet.equals(callingAet);
    }

    /**
     * On a DIMSE thread, with a query/retrieve association: the C-MOVE and its responses. Throws if nothing was
     * delivered; otherwise the writer reports the outcome.
     */
    public void run(DimseAssociation association, AttributeList identifier, String destination) {
        try {
            move = MoveExchange.start(association, identifier, destination, messageId);
            outcome = move.awaitOutcome();
            if (broken) {
                LOG.info(aet + ": C-MOVE of " + what + " cancelled; the PACS ended it with " + outcome.describe());
            }
        } catch (GatewayException e) {
            failure = e;
        } finally {
            answered.countDown();
        }
        synchronized (parts) {
            if (!handedOver) {
                handedOver = true;
                closed = true;
                throw failure != null ? failure : nothingDelivered(outcome);
            }
        }
    }

    /** Thrown from {@link #run} when no instance arrived: the caller's stage fails with it. */
    private GatewayException nothingDelivered(RetrieveOutcome outcome) {
        if ((outcome.isSuccess() || outcome.isWarning()) && outcome.failed() == 0) {
            return new NotFoundInPacsException(aet + " has no " + what);
        }
        if (outcome.completed() + outcome.failed() + outcome.warnings() == 0) {
            return new NothingToRetrieveException(aet + ": C-MOVE of " + what + " failed: " + outcome.describe());
        }
        return new PeerFailureException(aet + ": C-MOVE of " + what + " delivered nothing: " + outcome.describe(), null);
    }

    /**
     * On a Storage SCP thread: streams one incoming instance into the response and says which C-STORE status to
     * answer. The instance's data is always read to its end, so the SCP association stays in step.
     */
    public int deliver(String sopClassUid, String sopInstanceUid, String transferSyntax, DimseMessageReader reader)
            throws DicomNetworkException, AReleaseException {
        boolean ended;
        synchronized (parts) {
            ended = closed || broken;
            if (!handedOver && !ended) {
                handedOver = true;
                // Completed on another thread: the writer may run on the completing thread, and it must not be this one.
                started.completeAsync(() -> this, executor);
            }
        }
        try {
            if (!ended && !claimed.await(claimTimeoutMs, TimeUnit.MILLISECONDS)) {
                giveUp("nobody read the response");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp("interrupted");
        }
        synchronized (parts) {
            if (broken || closed) {
                reader.streamData(OutputStream.nullOutputStream());
                LOG.warning(aet + ": refused instance " + sopInstanceUid + ": the retrieval of " + what
                        + " has already ended");
                return STORE_REFUSED;
            }
            try {
                writePart(sopClassUid, sopInstanceUid, transferSyntax, reader);
                delivered++;
                return STORE_SUCCESS;
            } catch (IOException e) {
                reader.streamData(OutputStream.nullOutputStream());
                giveUp("writing the response failed after " + delivered + " instances: " + e.getMessage());
                return STORE_REFUSED;
            }
        }
    }

    /**
     * The PACS picks the transfer syntax of a C-MOVE's C-STOREs (among those the Storage SCP accepts): between Implicit
     * and Explicit VR Little Endian, the instance is converted to the one the client asked for as it streams.
     */
    private void writePart(String sopClassUid, String sopInstanceUid, String received, DimseMessageReader reader)
            throws IOException, DicomNetworkException, AReleaseException {
        boolean convert = wantedTransferSyntax != null && ImplicitExplicitConverter.converts(received,
                wantedTransferSyntax);
        String transferSyntax = convert ? wantedTransferSyntax : received;
        OutputStream part = progress.counting(sink.nextPart("application/dicom; transfer-syntax=" + transferSyntax));
        Part10.writeHeader(part, sopClassUid, sopInstanceUid, transferSyntax, aet);
        ImplicitExplicitConverter converter = convert ? new ImplicitExplicitConverter(part, received) : null;
        reader.streamData(convert ? converter : part);
        if (reader.sinkFailure() != null) {
            throw reader.sinkFailure();
        }
        if (convert) {
            converter.finish();
        }
    }

    private void giveUp(String why) {
        if (!broken) {
            broken = true;
            LOG.info(aet + ": cancelling the C-MOVE of " + what + ": " + why);
            cancelQuietly();
        }
    }

    @Override
    public void writeTo(InstanceSink multipart) throws IOException {
        synchronized (parts) {
            sink = multipart;
        }
        claimed.countDown();
        try {
            // The C-MOVE's responses come as long as instances are written; a client that stopped reading stops them.
            if (!progress.awaitWhileProgressing(answered, stallTimeoutMs)) {
                giveUp("the client took nothing for " + stallTimeoutMs + " ms (gateway.stalled-client-timeout-ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp("interrupted");
        }
        synchronized (parts) {
            closed = true;
            if (broken) {
                throw new IOException(aet + ": retrieval of " + what + " was cancelled after " + delivered + " instances");
            }
            if (failure != null || !(outcome.isSuccess() || outcome.isWarning())) {
                String reason = failure != null ? failure.getMessage() : outcome.describe();
                LOG.warning(aet + ": C-MOVE of " + what + " failed after " + delivered + " instances: " + reason);
                throw new IOException(reason);
            }
            if (outcome.failed() > 0 || outcome.isWarning()) {
                String report = aet + ": C-MOVE of " + what + " ended with " + outcome.describe();
                LOG.warning(report);
                multipart.finish("Warning: " + report);
            } else {
                multipart.finish(null);
            }
        }
    }

    @Override
    public void abandon() {
        giveUp("abandoned");
        claimed.countDown();
    }

    private void cancelQuietly() {
        MoveExchange running = move;
        if (running != null && answered.getCount() > 0) {
            try {
                running.cancel();
            } catch (GatewayException e) {
                LOG.log(Level.FINE, aet + ": C-CANCEL of the C-MOVE failed", e);
            }
        }
    }
}
