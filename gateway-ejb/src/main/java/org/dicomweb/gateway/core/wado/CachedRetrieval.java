package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.cache.CachedStudy;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;

/**
 * A WADO-RS retrieval served from cached files: each a part named as a DIMSE retrieval names it, handed to the sink as
 * a file ({@link InstanceSink#filePart}) so that the HTTP layer can send it without copying. The study's lease is held
 * until the parts are written or the retrieval abandoned: the files cannot be deleted under it.
 */
final class CachedRetrieval implements RetrievedInstances {

    private final CachedStudy study;
    private final List<CachedInstance> instances;
    private final List<StoredPart> parts;

    /** Takes over the lease {@code study}, closing it if the files cannot even be measured. */
    CachedRetrieval(CachedStudy study, List<CachedInstance> instances) {
        this.study = study;
        this.instances = List.copyOf(instances);
        List<StoredPart> parts = new ArrayList<>();
        try {
            for (CachedInstance instance : instances) {
                parts.add(new StoredPart(contentType(instance), Files.size(instance.file())));
            }
        } catch (IOException e) {
            study.close();
            throw new UncheckedIOException("a cached file cannot be read: " + e.getMessage(), e);
        }
        this.parts = List.copyOf(parts);
    }

    /** As InstanceRetrieval (backend.dimse) names a part it receives by C-GET. */
    static String contentType(CachedInstance instance) {
        return "application/dicom; transfer-syntax=" + instance.transferSyntaxUid();
    }

    @Override
    public Optional<List<StoredPart>> storedParts() {
        return Optional.of(parts);
    }

    @Override
    public void writeTo(InstanceSink sink) throws IOException {
        try (study) {
            for (int i = 0; i < instances.size(); i++) {
                try (FileChannel file = FileChannel.open(instances.get(i).file(), StandardOpenOption.READ)) {
                    sink.filePart(parts.get(i).contentType(), file, parts.get(i).length());
                }
            }
            sink.finish(null);
        }
    }

    @Override
    public void abandon() {
        study.close();
    }
}
