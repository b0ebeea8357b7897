package org.dicomweb.gateway.backend.dimse.scp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.DicomNetworkException;

import org.dicomweb.gateway.backend.dimse.association.DimseMessageReader;
import org.dicomweb.gateway.core.changefeed.Arrivals;
import org.dicomweb.gateway.core.changefeed.InstancesArrived;
import org.dicomweb.gateway.core.dicom.Part10;
import org.dicomweb.gateway.core.stow.StowOutcomes;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.stow.StowResult;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * What the Storage SCP does with a C-STORE outside any C-MOVE when {@code gateway.scp.ingest-aet} names an AE: stores
 * the instance into that AE (any backend) through its store transaction, one instance per transaction, so that it
 * enters the change feed with origin STORE-SCP. The C-STORE is answered with the outcome of that store: success (or
 * its warning) only once the AE has the instance, else the failure the store reported.
 */
public final class ScpIngest {

    private static final Logger LOG = Logger.getLogger(ScpIngest.class.getName());

    private final String aet;
    private final Arrivals arrivals;
    private final Path spool;

    /** {@code spool}: where the data set waits, as a DICOM file, until the store transaction reads it. */
    public ScpIngest(String aet, Arrivals arrivals, Path spool) {
        this.aet = aet;
        this.arrivals = arrivals;
        this.spool = spool;
    }

    /**
     * Reads the data set of the current C-STORE and stores it; the C-STORE status to answer. The data set is written
     * to a file first (a Part 10 header before it, as a STOW-RS part): the store transaction reads its part from a
     * stream on the calling thread, while the data set's PDUs must be read off the association now.
     */
    int store(String callingAet, String sopClass, String sopInstance, String transferSyntax,
            DimseMessageReader reader) throws DicomNetworkException, AReleaseException {
        Path file;
        try {
            file = Files.createTempFile(spool, "scp-", ".dcm");
        } catch (IOException e) {
            reader.streamData(OutputStream.nullOutputStream());
            return refused(sopInstance, callingAet, "it cannot be spooled: " + e.getMessage());
        }
        try {
            IOException failure = spool(file, callingAet, sopClass, sopInstance, transferSyntax, reader);
            if (failure != null) {
                return refused(sopInstance, callingAet, "it cannot be spooled: " + failure.getMessage());
            }
            return status(sopInstance, callingAet, storeFile(file));
        } catch (GatewayException e) {
            return refused(sopInstance, callingAet, e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete " + file, e);
            }
        }
    }

    /** The Part 10 file of the data set; the writing's failure, or null (the data set is read to its end either way). */
    private static IOException spool(Path file, String callingAet, String sopClass, String sopInstance,
            String transferSyntax, DimseMessageReader reader) throws DicomNetworkException, AReleaseException {
        IOException failure = null;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            Part10.writeHeader(out, sopClass, sopInstance, transferSyntax, callingAet);
            reader.streamData(out);
            failure = reader.sinkFailure();
        } catch (IOException e) {
            failure = e;
        } finally {
            reader.streamData(OutputStream.nullOutputStream()); // nothing when the data set has been read already
        }
        return failure;
    }

    private StowResult storeFile(Path file) {
        try (StowTransaction transaction = arrivals.begin(aet, null, InstancesArrived.STORE_SCP)) {
            try (InputStream part = Files.newInputStream(file)) {
                transaction.add(part);
            } catch (IOException e) {
                transaction.bodyFailed("the spooled instance cannot be read: " + e.getMessage());
            }
            return transaction.finish();
        }
    }

    /** Success, the store's warning, or its failure reason (a C-STORE status itself, PS3.4 B.2.3). */
    private int status(String sopInstance, String callingAet, StowResult result) {
        if (!result.stored().isEmpty()) {
            Integer warning = result.stored().get(0).warningReason();
            LOG.info("ingested instance " + sopInstance + " from " + callingAet + " into " + aet
                    + (warning == null ? "" : " with warning 0x" + Integer.toHexString(warning)));
            return warning == null ? 0x0000 : warning;
        }
        StowResult.Failed failed = result.failed().isEmpty() ? null : result.failed().get(0);
        String why = failed == null ? "the store reported nothing" : failed.why();
        LOG.warning("instance " + sopInstance + " from " + callingAet + " could not be stored into " + aet + ": "
                + why);
        int reason = failed == null ? 0 : failed.failureReason();
        boolean isFailure = (reason & 0xF000) == 0xA000 || (reason & 0xF000) == 0xC000 || (reason & 0xFF00) == 0x0100;
        return isFailure ? reason : StowOutcomes.PROCESSING_FAILURE;
    }

    private int refused(String sopInstance, String callingAet, String why) {
        LOG.warning("refused instance " + sopInstance + " from " + callingAet + " (to be stored into " + aet + "): "
                + why);
        return StowOutcomes.OUT_OF_RESOURCES;
    }
}
