package org.dicomweb.gateway.backend.s3.reindex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.TagFromName;

import software.amazon.awssdk.services.s3.model.S3Object;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.StoredFrames;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.backend.s3.index.InstanceHeader;
import org.dicomweb.gateway.backend.s3.index.InstanceIndex;
import org.dicomweb.gateway.backend.s3.index.Reservation;
import org.dicomweb.gateway.backend.s3.wado.StoredMetadata;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.error.GatewayException;

/**
 * One listed object into the index, reading its header only: a ranged GET of its first {@link #HEADER_BYTES} (the
 * whole object, once more, if the data set goes on past them), its JSON object written beside it if missing, and
 * its row made CREATED under the key as listed (another tool's key stays valid; nothing in the bucket is moved or
 * deleted). An object that is not DICOM fails with an IOException saying why (the caller adds the key); a failure of the index is an
 * {@link IndexFailure}, which stops the run, since every further object would fail the same way.
 */
final class ObjectIndexer {

    /** Enough for the data set before the pixel data of nearly every image. */
    static final long HEADER_BYTES = 256 * 1024;

    /** Thrown when the index cannot be written: the run stops. */
    static final class IndexFailure extends RuntimeException {
        IndexFailure(GatewayException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final Bucket bucket;
    private final InstanceIndex index;
    private final Path spool;
    private final int bulkDataThreshold;

    ObjectIndexer(Bucket bucket, InstanceIndex index, Path spool, int bulkDataThreshold) {
        this.bucket = bucket;
        this.index = index;
        this.spool = spool;
        this.bulkDataThreshold = bulkDataThreshold;
    }

    void index(S3Object object) throws IOException {
        Path file = Files.createTempFile(spool, "reindex-", ".dcm");
        try {
            InstanceFile header = readHeader(object, file);
            AttributeList data = header.dataSet();
            String study = uid(data, TagFromName.StudyInstanceUID);
            String series = uid(data, TagFromName.SeriesInstanceUID);
            InstanceHeader row = new InstanceHeader(study, series, uid(data, TagFromName.SOPInstanceUID),
                    uid(data, TagFromName.SOPClassUID), header.transferSyntax(), data);
            if (row.transferSyntax().isEmpty()) {
                throw new IOException("no Transfer Syntax UID in its file meta information");
            }
            String frames = StoredFrames.layout(header, object.size());
            String metadataKey = IndexedInstance.metadataKey(object.key());
            if (!bucket.exists(metadataKey)) {
                bucket.put(metadataKey, StoredMetadata.of(header, study, series, bulkDataThreshold),
                        "application/dicom+json");
            }
            record(row, object, frames);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void record(InstanceHeader row, S3Object object, String frames) {
        try {
            Reservation reservation = index.reserve(bucket.settings().aet(), row, object.key(), true)
                    .orElseThrow(() -> new IllegalStateException("an overwriting reservation was refused"));
            index.created(reservation, row, object.key(), object.size(), object.eTag(), frames);
        } catch (GatewayException e) {
            throw new IndexFailure(e);
        }
    }

    /** The data set up to the pixel data, from as few bytes of the object as do. */
    private InstanceFile readHeader(S3Object object, Path file) throws IOException {
        long size = object.size() == null ? 0 : object.size();
        if (size < 132) {
            throw new IOException("too short for a DICOM file (" + size + " bytes)");
        }
        long first = Math.min(size, HEADER_BYTES);
        download(object.key(), first, file);
        requirePart10(file);
        if (first < size) {
            Optional<InstanceFile> header = headerWithin(file);
            if (header.isPresent()) {
                return header.get();
            }
            download(object.key(), size, file);
        }
        try {
            return InstanceFile.read(file);
        } catch (IOException e) {
            Throwable why = e.getCause() == null ? e : e.getCause(); // not the temporary file's name
            throw new IOException("cannot be read as DICOM: " + why.getMessage(), e);
        }
    }

    /**
     * The data set read from the first bytes of an object, if it ends within them: only the start of the pixel data
     * shows that it does. A data set without pixel data, or cut short, needs the whole object.
     */
    static Optional<InstanceFile> headerWithin(Path start) {
        try {
            InstanceFile header = InstanceFile.read(start);
            return header.pixelData().isPresent() ? Optional.of(header) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // the data set goes on past the bytes read
        }
    }

    private void download(String key, long bytes, Path file) throws IOException {
        try (Bucket.Download download = bucket.get(key, 0, bytes - 1).orElseThrow(
                () -> new IOException("deleted from the bucket while it was read"))) {
            try (InputStream body = download.body()) {
                Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A Part 10 file begins with a preamble and "DICM" (PS3.10 §7.1). Checked before any parse, since reading
     * arbitrary bytes as a data set can ask for values of gigabytes.
     */
    static void requirePart10(Path file) throws IOException {
        byte[] head = new byte[132];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length
                    || !Arrays.equals(head, 128, 132, "DICM".getBytes(StandardCharsets.US_ASCII), 0, 4)) {
                throw new IOException("not a DICOM Part 10 file (no \"DICM\" at byte 128)");
            }
        }
    }

    private static String uid(AttributeList data, AttributeTag tag) throws IOException {
        String value = Attribute.getSingleStringValueOrEmptyString(data, tag).strip();
        if (value.isEmpty()) {
            throw new IOException("no " + DicomDictionary.StandardDictionary.getNameFromTag(tag));
        }
        return value;
    }
}
