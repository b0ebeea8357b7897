package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.dicomweb.gateway.core.spool.SpoolBudget;
import org.dicomweb.gateway.core.spool.SpooledPart;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.DicomJsonBody;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * WADO-RS metadata passed on: the upstream's JSON streamed back with its BulkDataURIs and RetrieveURLs made the
 * gateway's. Bulk data: the value the upstream's BulkDataURI at the tag path names, spooled (memory within the
 * budget, else a temporary file) so that its length is known before the answer starts and byte ranges can be served
 * from it; an upstream answers a bulk data request with a multipart body whose part length is not announced.
 */
final class UpstreamMetadataService implements WadoMetadataService {

    private static final String BULK_ACCEPT = "multipart/related; type=\"application/octet-stream\", "
            + "application/octet-stream";

    private final Upstreams upstreams;
    private final SpoolBudget budget;
    private final Path spoolDirectory;

    UpstreamMetadataService(Upstreams upstreams, SpoolBudget budget, Path spoolDirectory) {
        this.upstreams = upstreams;
        this.budget = budget;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public CompletionStage<DicomJsonBody> metadata(String aet, WadoRequest request, String retrieveBase) {
        Upstream upstream = upstreams.of(aet);
        String path = UpstreamUrls.instancePath(request) + "/metadata";
        UpstreamUrls urls = new UpstreamUrls(upstream.settings().url(), retrieveBase);
        String accept = "application/dicom+json, application/json";
        return upstreams.run(aet, "metadata", () -> upstream.open(path, accept, request.describe(), answer -> {
            if (answer.status() == 204) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            JsonRewriter objects = JsonRewriter.open(answer.body(), urls::retrieveUrl, urls::bulkDataUri, aet);
            if (objects.isEmpty()) {
                throw new NotFoundInPacsException(aet + " has no " + request.describe());
            }
            return new Body(answer, objects);
        }));
    }

    private record Body(Upstream.Answer answer, JsonRewriter objects) implements DicomJsonBody {

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try {
                objects.writeTo(out);
            } finally {
                answer.close();
            }
        }

        @Override
        public void abandon() {
            objects.close();
            answer.close();
        }
    }

    /**
     * The instance's metadata is read from the upstream (streamed, nothing kept but the one URI) for the BulkDataURI
     * at {@code tagPath}, which is then fetched: the gateway's bulk data URIs name tag paths, whatever form the
     * upstream's take.
     */
    @Override
    public CompletionStage<BulkData> bulkData(String aet, WadoRequest instance, String tagPath) {
        Upstream upstream = upstreams.of(aet);
        String metadataPath = UpstreamUrls.instancePath(instance) + "/metadata";
        String what = "bulk data " + tagPath + " of " + instance.describe();
        return upstreams.run(aet, "bulk data", () -> {
            String path = upstreamPath(upstream, metadataPath, instance, tagPath, what);
            try (Upstream.Answer answer = upstream.get(path, BULK_ACCEPT, what)) {
                return new Spooled(SpooledPart.spool(value(answer, upstream), budget, spoolDirectory));
            } catch (IOException e) {
                throw upstream.failure(upstream.uri(path), e);
            }
        });
    }

    /** The path below the upstream's root of the BulkDataURI at {@code tagPath} in the instance's metadata. */
    private static String upstreamPath(Upstream upstream, String metadataPath, WadoRequest instance, String tagPath,
            String what) {
        AtomicReference<String> found = new AtomicReference<>();
        try (Upstream.Answer answer = upstream.get(metadataPath, "application/dicom+json, application/json",
                instance.describe())) {
            if (answer.status() != 204) {
                JsonRewriter.open(answer.body(), url -> url, (uri, path) -> {
                    if (path.equals(tagPath)) {
                        found.compareAndSet(null, uri);
                    }
                    return uri;
                }, upstream.aet()).writeTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            throw upstream.failure(upstream.uri(metadataPath), e);
        }
        if (found.get() == null) {
            throw new NotFoundInPacsException(upstream.aet() + " has no " + what);
        }
        String path = new UpstreamUrls(upstream.settings().url(), "").pathBelowRoot(upstream.uri(metadataPath),
                found.get());
        if (path == null) {
            throw new PeerFailureException(upstream.aet() + ": the upstream's BulkDataURI " + found.get() + " for "
                    + what + " is outside its DICOMweb root", null);
        }
        return path;
    }

    /** The value: the first part of a multipart answer, or the whole body of a single one. */
    private static InputStream value(Upstream.Answer answer, Upstream upstream) throws IOException {
        if (!UpstreamParts.mediaType(answer.contentType()).equals("multipart/related")) {
            return answer.body();
        }
        UpstreamParts parts = UpstreamWadoService.parts(answer, upstream);
        if (!parts.next()) {
            throw new IOException(upstream.aet() + ": the upstream's bulk data answer has no part");
        }
        return parts.body();
    }

    /** A spooled value, freed once written or closed. */
    private static final class Spooled implements BulkData {
        private final SpooledPart part;
        private final long length;
        private final AtomicBoolean closed = new AtomicBoolean();

        Spooled(SpooledPart part) throws IOException {
            this.part = part;
            this.length = part.length();
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public void writeTo(OutputStream out, long offset, long count) throws IOException {
            try (InputStream in = part.open()) {
                in.skipNBytes(offset);
                byte[] buffer = new byte[64 * 1024];
                for (long left = count; left > 0; ) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("spooled bulk data shorter than " + (offset + count) + " bytes");
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return; // written, then closed by the web layer too: the chunks must go back once
            }
            try {
                part.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
