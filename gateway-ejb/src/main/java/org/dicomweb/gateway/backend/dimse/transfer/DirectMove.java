package org.dicomweb.gateway.backend.dimse.transfer;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.dicom.AttributeList;

import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.association.DimseAssociation;
import org.dicomweb.gateway.backend.dimse.association.DimseCommands;
import org.dicomweb.gateway.backend.dimse.config.DimseSettings;
import org.dicomweb.gateway.backend.dimse.config.RemoteAe;
import org.dicomweb.gateway.backend.dimse.query.FindExchange;
import org.dicomweb.gateway.backend.dimse.retrieve.MoveExchange;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveIdentifier;
import org.dicomweb.gateway.backend.dimse.retrieve.RetrieveOutcome;
import org.dicomweb.gateway.core.backend.DirectTransfer;
import org.dicomweb.gateway.core.backend.TransferOutcome;
import org.dicomweb.gateway.core.backend.TransferProgress;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * A direct transfer between two DIMSE AEs: a C-MOVE on a pooled query/retrieve association of the source whose Move
 * Destination is the destination's called AE title, so the instances go from PACS to PACS. Each pending response is
 * reported; once the task is cancelled, a C-CANCEL goes out and the responses are read on to the final one, so the
 * association can go back to the pool. Every wait is one response long at most (the source's DIMSE timeout: a big
 * study may take long in all, but no silence goes unbounded); on any failure the association is aborted.
 */
public final class DirectMove implements DirectTransfer {

    private static final Logger LOG = Logger.getLogger(DirectMove.class.getName());

    private final Supplier<DimseSettings> settings;
    private final Function<String, AssociationPool> pools;

    /**
     * {@code settings}: the DIMSE settings in force (a configuration reload replaces them); {@code pools}: the
     * query/retrieve pool of each of their AEs.
     */
    public DirectMove(Supplier<DimseSettings> settings, Function<String, AssociationPool> pools) {
        this.settings = settings;
        this.pools = pools;
    }

    @Override
    public boolean reaches(String sourceAet, String destinationAet) {
        return settings.get().movesTo(sourceAet, destinationAet);
    }

    @Override
    public TransferOutcome transfer(String sourceAet, WadoRequest what, String destinationAet,
            TransferProgress progress) {
        if (!reaches(sourceAet, destinationAet)) {
            throw new IllegalArgumentException(sourceAet + " does not list " + destinationAet + " in gateway.aet."
                    + sourceAet + ".move-destinations");
        }
        DimseSettings current = settings.get();
        RemoteAe source = current.remoteAe(sourceAet).orElseThrow(() -> new UnknownAeException(sourceAet));
        RemoteAe destination = current.remoteAe(destinationAet)
                .orElseThrow(() -> new UnknownAeException(destinationAet));
        AttributeList identifier = RetrieveIdentifier.of(what);
        MoveVerdict verdict = new MoveVerdict(source.aet(), what.describe(), destination);
        return pools.apply(sourceAet).execute(association -> {
            RetrieveOutcome last = move(association, identifier, destination.calledAet(), progress);
            if (last.isCancel()) {
                LOG.info(verdict.operation() + " cancelled; the PACS ended it with " + last.describe());
            }
            return verdict.of(last, () -> FindExchange.findsAny(association, identifier),
                    () -> answersEcho(destinationAet));
        });
    }

    /** A C-ECHO on the destination's pool, bounded by its connect and DIMSE timeouts. */
    private boolean answersEcho(String destinationAet) {
        try {
            pools.apply(destinationAet).execute(association -> {
                association.echo();
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, destinationAet + " does not answer a C-ECHO", e);
            return false;
        }
    }

    /** The C-MOVE, up to its final response. */
    private static RetrieveOutcome move(DimseAssociation association, AttributeList identifier, String destination,
            TransferProgress progress) {
        MoveExchange move = MoveExchange.start(association, identifier, destination, DimseCommands.nextMessageId());
        boolean cancelSent = false;
        RetrieveOutcome response = move.next();
        while (response.isPending()) {
            if (reportAndAskCancelled(association, progress, response) && !cancelSent) {
                move.cancel();
                cancelSent = true;
            }
            response = move.next();
        }
        return response;
    }

    /**
     * The caller's side of a pending response. The C-MOVE is still running on the association: if the caller fails,
     * the association is aborted (which stops the PACS too), never given back in the middle of an operation.
     */
    private static boolean reportAndAskCancelled(DimseAssociation association, TransferProgress progress,
            RetrieveOutcome pending) {
        try {
            progress.progress(pending.remaining(), pending.completed(), pending.failed(), pending.warnings());
            return progress.cancelled();
        } catch (RuntimeException e) {
            association.abort();
            throw e;
        }
    }
}
