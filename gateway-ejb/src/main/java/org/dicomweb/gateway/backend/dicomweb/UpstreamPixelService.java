package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import org.apache.hc.client5.http.classic.methods.HttpGet;

import org.dicomweb.gateway.core.frames.FrameRenderer;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.Frames;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.Rendering;
import org.dicomweb.gateway.wado.WadoPixelService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * WADO-RS frames and rendered images passed on. Frames come in the encoding the upstream holds them in (asked with
 * {@code transfer-syntax=*}), each part streamed to the client. A rendered image is the upstream's {@code /rendered}
 * with the same parameters (thumbnails too: the gateway asks for a rendering that fits the thumbnail's viewport);
 * where the upstream has no rendering (404, 406, 501) of an instance or a frame, the instance is fetched into a
 * temporary file and rendered by the gateway itself.
 */
final class UpstreamPixelService implements WadoPixelService {

    private static final String NATIVE_FRAMES = "multipart/related; type=\"application/octet-stream\"; "
            + "transfer-syntax=*";
    /** A rendered image beyond this is not an image a viewer shows: the upstream misbehaves. */
    private static final int MAX_RENDERED_BYTES = 64 * 1024 * 1024;

    private final Upstreams upstreams;
    private final Path spoolDirectory;

    UpstreamPixelService(Upstreams upstreams, Path spoolDirectory) {
        this.upstreams = upstreams;
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public CompletionStage<Frames> frames(String aet, WadoRequest instance, List<Integer> frameNumbers) {
        Upstream upstream = upstreams.of(aet);
        String list = frameNumbers.stream().map(String::valueOf).collect(Collectors.joining(","));
        String path = UpstreamUrls.instancePath(instance) + "/frames/" + list;
        String what = "frames " + list + " of " + instance.describe();
        return upstreams.run(aet, "frames", () -> upstream.open(path, NATIVE_FRAMES, what, answer -> {
            UpstreamParts parts = UpstreamWadoService.parts(answer, upstream);
            if (!parts.next()) {
                throw new PeerFailureException(aet + ": the upstream answered frames " + list + " with no part",
                        null);
            }
            return new UpstreamFrames(answer, parts);
        }));
    }

    /** The upstream's frames, the first part's headers read: its type and transfer syntax are those of them all. */
    private static final class UpstreamFrames implements Frames {
        private final Upstream.Answer answer;
        private final UpstreamParts parts;
        private final String mediaType;
        private final String transferSyntax;

        UpstreamFrames(Upstream.Answer answer, UpstreamParts parts) {
            this.answer = answer;
            this.parts = parts;
            this.mediaType = UpstreamParts.mediaType(parts.contentType());
            // Orthanc 1.10 puts the syntax into the answer's type parameter rather than each part's type.
            String syntax = Optional.ofNullable(UpstreamParts.parameter(parts.contentType(), "transfer-syntax"))
                    .orElse(UpstreamParts.parameter(answer.contentType(), "transfer-syntax"));
            this.transferSyntax = syntax != null ? syntax : WadoRequest.DEFAULT_TRANSFER_SYNTAX;
        }

        @Override
        public String transferSyntax() {
            return transferSyntax;
        }

        @Override
        public String mediaType() {
            return mediaType;
        }

        @Override
        public void writeTo(MultipartRelated body, String partContentType) throws IOException {
            try {
                do {
                    parts.body().transferTo(body.nextPart(partContentType));
                } while (parts.next());
                body.finish(null);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            answer.close();
        }
    }

    @Override
    public CompletionStage<byte[]> rendered(String aet, WadoRequest target, int frame, Rendering rendering) {
        Upstream upstream = upstreams.of(aet);
        String path = UpstreamUrls.instancePath(target) + (target.instanceUid() != null && frame != 1
                ? "/frames/" + frame : "") + "/rendered" + parameters(rendering);
        String what = "a rendering of " + target.describe();
        return upstreams.run(aet, "a rendering", () -> {
            HttpGet get = upstream.authorized(new HttpGet(upstream.uri(path)), rendering.mediaType());
            try (Upstream.Answer answer = upstream.send(get)) {
                if (answer.status() / 100 == 2) {
                    byte[] image = answer.body().readNBytes(MAX_RENDERED_BYTES + 1);
                    if (image.length > MAX_RENDERED_BYTES) {
                        throw new PeerFailureException(aet + ": the upstream's rendering of " + target.describe()
                                + " is over " + MAX_RENDERED_BYTES + " bytes", null);
                    }
                    return image;
                }
                if (target.instanceUid() == null || !List.of(404, 406, 501).contains(answer.status())) {
                    throw answer.failed(what);
                }
            } catch (IOException e) {
                throw upstream.failure(upstream.uri(path), e);
            }
            return renderedHere(upstream, target, frame, rendering);
        });
    }

    /** The instance fetched into a temporary file (deleted after), rendered by the gateway. */
    private byte[] renderedHere(Upstream upstream, WadoRequest instance, int frame, Rendering rendering)
            throws IOException {
        String path = UpstreamUrls.instancePath(instance);
        Path file = Files.createTempFile(spoolDirectory, "render-", ".dcm");
        try {
            try (Upstream.Answer answer = upstream.get(path, "multipart/related; type=\""
                    + UpstreamWadoService.DICOM + "\"; transfer-syntax=*", instance.describe())) {
                UpstreamParts parts = UpstreamWadoService.parts(answer, upstream);
                if (!parts.next()) {
                    throw new PeerFailureException(upstream.aet() + ": the upstream sent no part for "
                            + instance.describe(), null);
                }
                try (InputStream in = parts.body(); OutputStream out = Files.newOutputStream(file)) {
                    in.transferTo(out);
                }
            } catch (IOException e) {
                throw upstream.failure(upstream.uri(path), e);
            }
            return FrameRenderer.render(file, frame, rendering, instance.describe());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The rendering's parameters as PS3.18 §8.3.5.1 spells them. */
    private static String parameters(Rendering rendering) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (!rendering.mediaType().equals(Rendering.PNG)) {
            query.add("quality=" + rendering.quality());
        }
        rendering.viewport().ifPresent(v -> query.add("viewport=" + v.width() + "," + v.height()));
        rendering.window().ifPresent(w -> query.add("window=" + w.center() + "," + w.width() + ",linear"));
        return query.toString();
    }
}
