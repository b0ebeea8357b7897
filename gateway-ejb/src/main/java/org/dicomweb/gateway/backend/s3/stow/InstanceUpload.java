package org.dicomweb.gateway.backend.s3.stow;

import static org.dicomweb.gateway.core.stow.StowOutcomes.DUPLICATE_SOP_INSTANCE;
import static org.dicomweb.gateway.core.stow.StowOutcomes.PROCESSING_FAILURE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.S3Settings;
import org.dicomweb.gateway.backend.s3.StoredFrames;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceHeader;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.backend.s3.index.Reservation;
import org.dicomweb.gateway.backend.s3.wado.StoredMetadata;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.dicom.SpooledInstance;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.stow.StowResult;

/**
 * One instance into the bucket, in the order that never lets the index claim what the bucket lacks: the index row
 * reserved (CREATING, or the row of the instance stored before when it is replaced), the Part 10 object uploaded,
 * then its metadata (DICOM JSON without bulk data), and only then the row CREATED. If any step fails, the objects
 * this upload created are deleted and a fresh row is removed; whatever a crash leaves behind (a CREATING row, an
 * object the index does not list) the reindex resolves.
 */
final class InstanceUpload {

    private static final Logger LOG = Logger.getLogger(InstanceUpload.class.getName());

    private final Bucket bucket;
    private final InstanceIndex index;
    private final SpooledInstance instance;
    private final int bulkDataThreshold;

    InstanceUpload(Bucket bucket, InstanceIndex index, SpooledInstance instance, int bulkDataThreshold) {
        this.bucket = bucket;
        this.index = index;
        this.instance = instance;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    /** A Stored or a Failed. */
    Object store() {
        S3Settings settings = bucket.settings();
        Path file = instance.part().file().orElseThrow(() -> new IllegalStateException("a part held in memory"));
        InstanceFile header;
        String frames;
        byte[] metadata;
        try {
            header = InstanceFile.read(file);
            frames = StoredFrames.layout(header, instance.part().length());
            metadata = StoredMetadata.of(header, instance.studyUid(), instance.seriesUid(), bulkDataThreshold);
        } catch (IOException | RuntimeException e) {
            return failed(PROCESSING_FAILURE, "cannot be read for the index: " + e.getMessage());
        }
        InstanceHeader row = new InstanceHeader(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid(),
                instance.sopClassUid(), instance.transferSyntax(), header.dataSet());
        String key = settings.instanceKey(instance.studyUid(), instance.seriesUid(), instance.sopInstanceUid());
        Optional<Reservation> reserved;
        try {
            reserved = index.reserve(settings.aet(), row, key,
                    settings.onDuplicate() == S3Settings.OnDuplicate.OVERWRITE);
        } catch (GatewayException e) {
            return failed(PROCESSING_FAILURE, e.getMessage());
        }
        if (reserved.isEmpty()) {
            return failed(DUPLICATE_SOP_INSTANCE, "is stored in " + settings.aet() + " already (gateway.aet."
                    + settings.aet() + ".on-duplicate is refuse)");
        }
        Reservation reservation = reserved.get();
        try {
            String etag = bucket.put(key, file, instance.part().length(), "application/dicom");
            bucket.put(IndexedInstance.metadataKey(key), metadata, "application/dicom+json");
            index.created(reservation, row, key, instance.part().length(), etag, frames);
        } catch (GatewayException | IOException e) {
            undo(reservation, key);
            return failed(PROCESSING_FAILURE, e.getMessage());
        }
        if (reservation.previousKey() != null && !reservation.previousKey().equals(key)) {
            deleteQuietly(reservation.previousKey()); // the instance moved to another study or series
            deleteQuietly(IndexedInstance.metadataKey(reservation.previousKey()));
        }
        return new StowResult.Stored(instance.sopClassUid(), instance.sopInstanceUid(), instance.studyUid(),
                instance.seriesUid(), null);
    }

    /** A fresh row and the objects this upload made go; a replaced instance keeps its row (its object may be new). */
    private void undo(Reservation reservation, String key) {
        if (!reservation.fresh()) {
            return;
        }
        deleteQuietly(key);
        deleteQuietly(IndexedInstance.metadataKey(key));
        try {
            index.abandon(reservation);
        } catch (GatewayException e) {
            LOG.log(Level.WARNING, bucket.settings().aet() + ": the CREATING row of " + instance.sopInstanceUid()
                    + " stays until the next reindex: " + e.getMessage());
        }
    }

    private void deleteQuietly(String key) {
        try {
            bucket.delete(key);
        } catch (GatewayException e) {
            LOG.log(Level.WARNING, bucket.settings().aet() + ": " + key + " stays in the bucket until the next"
                    + " reindex: " + e.getMessage());
        }
    }

    private StowResult.Failed failed(int reason, String why) {
        return new StowResult.Failed(instance.sopClassUid(), instance.sopInstanceUid(), reason, why);
    }
}
