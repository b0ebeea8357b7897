package org.dicomweb.gateway.backend.s3.wado;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.dicomweb.gateway.backend.s3.Bucket;
import org.dicomweb.gateway.backend.s3.index.IndexedInstance;
import org.dicomweb.gateway.error.NotFoundInPacsException;

/**
 * An instance's object downloaded to a temporary file, for what needs the whole file (rendering, bulk data other than
 * frames, frames of pixel data without a stored layout). The file is deleted when closed; what was opened from it
 * stays readable (an open file outlives its deletion).
 */
final class ObjectFiles {

    /** A downloaded object; closing deletes it. */
    record ObjectFile(Path path) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // under WildFly's temp directory, which the server cleans
            }
        }
    }

    private ObjectFiles() {
    }

    static ObjectFile download(Bucket bucket, IndexedInstance instance, Path spool) throws IOException {
        Path file = Files.createTempFile(spool, "object-", ".dcm");
        try (Bucket.Download download = bucket.get(instance.key()).orElseThrow(() -> new NotFoundInPacsException(
                bucket.settings().aet() + ": instance " + instance.sopInstanceUid() + " is in the index but its"
                        + " object " + instance.key() + " is missing in the bucket"))) {
            Files.copy(download.body(), file, StandardCopyOption.REPLACE_EXISTING);
            return new ObjectFile(file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
