package org.dicomweb.gateway.backend.dicomweb;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.dicomweb.gateway.core.dicom.TransferSyntaxes;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.wado.InstanceSink;
import org.dicomweb.gateway.wado.RetrievedInstances;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/**
 * WADO-RS instance retrieval passed on: the upstream is asked for the same level in the transfer syntax the client
 * asked, and its multipart/related answer is parsed part by part, each part written to the client as it arrives.
 */
final class UpstreamWadoService implements WadoService {

    static final String DICOM = "application/dicom";

    private final Upstreams upstreams;

    UpstreamWadoService(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request) {
        Upstream upstream = upstreams.of(aet);
        String accept = "multipart/related; type=\"" + DICOM + "\"; transfer-syntax=" + request.transferSyntax();
        String path = UpstreamUrls.instancePath(request);
        return upstreams.run(aet, "a retrieval", () -> {
            Upstream.Answer answer = upstream.get(path, accept, request.describe());
            try {
                return new Retrieved(answer, upstream);
            } catch (IOException e) {
                throw upstream.failure(upstream.uri(path), e);
            }
        });
    }

    @Override
    public List<String> transferSyntaxes(String aet) {
        return TransferSyntaxes.STANDARD; // the upstream decides (406 passed on)
    }

    /**
     * The multipart answer of {@code answer} as a part stream, or a 502 if the upstream sent something else; the
     * answer is closed if this fails.
     */
    static UpstreamParts parts(Upstream.Answer answer, Upstream upstream) throws IOException {
        String type = answer.contentType();
        String boundary = UpstreamParts.parameter(type, "boundary");
        if (!UpstreamParts.mediaType(type).equals("multipart/related") || boundary == null || boundary.isEmpty()) {
            answer.close();
            throw new PeerFailureException(upstream.aet() + ": the upstream answered " + type
                    + ", not multipart/related with a boundary", null);
        }
        try {
            return new UpstreamParts(answer.body(), boundary, upstream.aet());
        } catch (IOException e) {
            answer.close();
            throw e;
        }
    }

    /** The upstream's answer, written part by part; closing the answer frees its connection and slot. */
    private static final class Retrieved implements RetrievedInstances {
        private final Upstream.Answer answer;
        private final UpstreamParts parts;
        private final Upstream upstream;

        Retrieved(Upstream.Answer answer, Upstream upstream) throws IOException {
            this.answer = answer;
            this.parts = parts(answer, upstream);
            this.upstream = upstream;
        }

        /** Each part's bytes go from the parser's buffer straight to the sink: one copy, none per byte. */
        @Override
        public void writeTo(InstanceSink sink) throws IOException {
            try {
                while (parts.next()) {
                    parts.transferTo(sink.nextPart(contentType(parts.contentType())));
                }
                sink.finish(null);
            } finally {
                answer.close();
            }
        }

        /** The part's type as the gateway writes it, always with the transfer syntax (read from the part if needed). */
        private String contentType(String upstreamType) throws IOException {
            if (!UpstreamParts.mediaType(upstreamType).equals(DICOM)) {
                return upstreamType;
            }
            String syntax = UpstreamParts.parameter(upstreamType, "transfer-syntax");
            if (syntax == null) {
                syntax = parts.peek(TransferSyntaxPeek.LIMIT, TransferSyntaxPeek::of);
            }
            if (syntax == null) {
                throw new IOException(upstream.aet() + ": a part without transfer syntax or file meta information");
            }
            return DICOM + "; transfer-syntax=" + syntax;
        }

        @Override
        public void abandon() {
            answer.close();
        }
    }
}
