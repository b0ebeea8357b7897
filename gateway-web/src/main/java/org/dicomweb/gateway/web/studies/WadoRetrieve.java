package org.dicomweb.gateway.web.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.validation.Values;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;
import org.dicomweb.gateway.web.observe.RequestFacts;

/** Runs a WADO-RS instance retrieval for {@link StudiesResource}: Accept negotiation (PS3.18 §8.7) and framing. */
@ApplicationScoped
public class WadoRetrieve {

    static final String MULTIPART_RELATED = "multipart/related";
    private static final String DICOM = "application/dicom";
    private static final String MEDIA_TYPE = MULTIPART_RELATED + "; type=\"" + DICOM + "\"";

    @Inject
    WadoService wado;

    @Inject
    HttpServletRequest http;

    /**
     * A retrieval's body goes out through a response buffer this large: Undertow writes a body of unknown length
     * (chunked) one buffer per system call, by default one pooled 16 KiB buffer, which for a 263 MB study is 16 000
     * writes and most of the gateway's CPU (docs/benchmarks.md, "DICOMweb proxy backend (ORTHANC-WEB) versus Orthanc's
     * own DICOMweb"). The first bytes go out once it is full, or at the end.
     */
    static final int RESPONSE_BUFFER_BYTES = 256 * 1024;

    CompletionStage<Response> retrieve(HttpHeaders headers, HttpServletResponse response, String aet, String study,
            String series, String instance) {
        response.setBufferSize(RESPONSE_BUFFER_BYTES); // before anything is written: here, on the request's thread
        WadoRequest request = new WadoRequest(study, series, instance, transferSyntax(aet, headers.getAcceptableMediaTypes()));
        String boundary = MultipartRelated.newBoundary();
        ResponseBodies bodies = ResponseBodies.of(http);
        RequestFacts audit = RequestFacts.of(http);
        FileSendingSink.Target files = FileSendingSink.target();
        return wado.retrieve(aet, request).thenApply(instances -> {
            Response.ResponseBuilder ok = Response
                    .ok(bodies.body(out -> instances.writeTo(audit.counting(files.into(out, boundary))),
                            instances::abandon))
                    .header(HttpHeaders.CONTENT_TYPE, MULTIPART_RELATED + "; type=\"" + DICOM + "\"; boundary=" + boundary);
            // Parts that are files on disk (the study cache) have known lengths, hence the body too: declared, it
            // lets Undertow send each file with sendfile (a body of unknown length goes chunked, buffer by buffer).
            instances.storedParts().ifPresent(parts -> ok
                    .header(HttpHeaders.CONTENT_LENGTH, MultipartRelated.length(boundary, parts)));
            return ok.build();
        });
    }

    /**
     * The transfer syntax of the first acceptable {@code multipart/related; type="application/dicom"} (a missing type
     * means application/dicom) that the service can deliver; without a transfer-syntax parameter, Explicit VR Little
     * Endian (PS3.18 §8.7.3.5.2). Nothing deliverable is a 406 naming what is, before any PACS is asked.
     */
    private String transferSyntax(String aet, List<MediaType> acceptable) {
        List<String> deliverable = wado.transferSyntaxes(aet);
        List<String> refused = new ArrayList<>();
        for (MediaType type : acceptable) {
            if (type.isWildcardType()) {
                return WadoRequest.DEFAULT_TRANSFER_SYNTAX;
            }
            if (type.isCompatible(MediaType.valueOf(MULTIPART_RELATED))) {
                String partType = type.getParameters().getOrDefault("type", DICOM).replace("\"", "");
                if (partType.equals(DICOM)) {
                    String syntax = type.getParameters()
                            .getOrDefault("transfer-syntax", WadoRequest.DEFAULT_TRANSFER_SYNTAX).replace("\"", "");
                    if (syntax.equals(WadoRequest.ANY_TRANSFER_SYNTAX) || deliverable.contains(syntax)) {
                        return syntax;
                    }
                    refused.add(Values.shorten(syntax));
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new NotAcceptableException("instances cannot be delivered in transfer syntax "
                    + String.join(", ", refused), List.of(MEDIA_TYPE + "; transfer-syntax=* or one of "
                            + String.join(", ", deliverable)));
        }
        throw new NotAcceptableException("instances are served in one media type",
                List.of(MEDIA_TYPE + " (optionally with transfer-syntax=* or a transfer syntax UID)"));
    }
}
