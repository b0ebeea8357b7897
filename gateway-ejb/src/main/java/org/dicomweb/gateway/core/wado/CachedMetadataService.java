package org.dicomweb.gateway.core.wado;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;

import org.dicomweb.gateway.core.cache.ArrivingCopy;
import org.dicomweb.gateway.core.cache.CachedInstance;
import org.dicomweb.gateway.core.dicom.InstanceFile;
import org.dicomweb.gateway.core.json.BulkDataValues;
import org.dicomweb.gateway.core.json.DicomJson;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * {@link WadoMetadataService} from the study cache: a study not cached is retrieved whole (whatever level was asked,
 * since a viewer goes on to ask for the rest of it) with the PACS's own transfer syntaxes, and its metadata written as
 * its instances arrive: the response begins with the first instance asked for and ends with the retrieval's last.
 */
public final class CachedMetadataService implements WadoMetadataService {

    private final StudyLeases leases;
    private final int threshold;

    /** {@code threshold}: values longer than this many bytes are given as BulkDataURI (gateway.wado.bulkdata-threshold-bytes). */
    public CachedMetadataService(StudyLeases leases, int threshold) {
        this.leases = leases;
        this.threshold = threshold;
    }

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        Predicate<CachedInstance> asked = i -> (request.seriesUid() == null || i.seriesUid().equals(request.seriesUid()))
                && (request.instanceUid() == null || i.sopInstanceUid().equals(request.instanceUid()));
        String studyUrl = retrieveBase + "/studies/" + request.studyUid();
        return leases.follow(aet, request, study -> {
            List<CachedInstance> selected = study.instances().stream().filter(asked).toList();
            if (selected.isEmpty()) {
                study.close();
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            Iterator<CachedInstance> instances = selected.iterator();
            return new MetadataBody(() -> instances.hasNext() ? instances.next() : null, study::close, studyUrl,
                    threshold);
        }, (copy, done, timeoutMs) -> {
            // The status is decided once the first instance asked for is in: until then a 404 or the PACS's failure.
            Arrivals arrivals = new Arrivals(copy, asked, request, timeoutMs);
            if (!arrivals.any()) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            return new MetadataBody(arrivals, done, studyUrl, threshold);
        });
    }

    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        return leases.readInstance(aet, instance, file -> BulkDataValues.value(InstanceFile.read(file), tagPath,
                instance.describe()));
    }

    /** The instances whose metadata a body writes, one at a time; null after the last. */
    private interface InstanceSource {
        CachedInstance next() throws IOException;
    }

    /**
     * The instances asked for, in the order they arrive: those of a series end once the series is complete (a
     * retrieval going series by series says so), a single instance once it is in.
     */
    private static final class Arrivals implements InstanceSource {
        private final ArrivingCopy copy;
        private final Predicate<CachedInstance> asked;
        private final String seriesUid;
        private final boolean single;
        private final long timeoutMs;
        private int index;
        private boolean found;
        private CachedInstance first;

        Arrivals(ArrivingCopy copy, Predicate<CachedInstance> asked, WadoRequest request, long timeoutMs) {
            this.copy = copy;
            this.asked = asked;
            this.seriesUid = request.seriesUid();
            this.single = request.instanceUid() != null;
            this.timeoutMs = timeoutMs;
        }

        /** Waits for the first instance asked for: false if the retrieval ended without one; throws its failure. */
        boolean any() {
            first = arrived();
            return first != null;
        }

        private CachedInstance arrived() {
            if (single && found) {
                return null;
            }
            for (Optional<CachedInstance> next; (next = copy.await(index++, seriesUid, timeoutMs)).isPresent(); ) {
                if (asked.test(next.get())) {
                    found = true;
                    return next.get();
                }
            }
            return null;
        }

        /** The instance {@link #any} found, then each one asked for as it arrives: a failure cuts the response. */
        @Override
        public CachedInstance next() throws IOException {
            if (first != null) {
                CachedInstance given = first;
                first = null;
                return given;
            }
            try {
                return arrived();
            } catch (RuntimeException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** The metadata of the instances {@code source} gives, holding their files until written or abandoned. */
    private record MetadataBody(InstanceSource source, Runnable release, String studyUrl, int threshold)
            implements DicomJsonBody {

        /** Reads one cached file at a time: memory does not grow with the study. */
        @Override
        public void writeTo(OutputStream out) throws IOException {
            try {
                JsonGenerator json = DicomJson.generator(out);
                json.writeStartArray();
                for (CachedInstance instance; (instance = source.next()) != null; ) {
                    String instanceUrl = studyUrl + "/series/" + instance.seriesUid() + "/instances/"
                            + instance.sopInstanceUid();
                    DicomJson.writeObject(json, InstanceFile.read(instance.file()).dataSetWithPixelDataPlaceholder(),
                            BulkDataValues.locator(instanceUrl, threshold));
                    json.flush();
                }
                json.writeEnd();
                json.flush();
            } catch (JsonException clientGone) {
                throw new IOException("client went away while metadata was written", clientGone);
            } finally {
                release.run();
            }
        }

        @Override
        public void abandon() {
            release.run();
        }
    }
}
