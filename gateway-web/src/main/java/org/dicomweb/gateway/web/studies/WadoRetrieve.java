package org.dicomweb.gateway.web.studies;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.WadoRequest;
import org.dicomweb.gateway.wado.WadoService;

/** Runs a WADO-RS instance retrieval for {@link StudiesResource}: Accept negotiation (PS3.18 §8.7) and framing. */
@ApplicationScoped
public class WadoRetrieve {

    static final String MULTIPART_RELATED = "multipart/related";
    private static final String DICOM = "application/dicom";

    @Inject
    WadoService wado;

    @Inject
    HttpServletRequest http;

    CompletionStage<Response> retrieve(HttpHeaders headers, String aet, String study, String series, String instance) {
        WadoRequest request = new WadoRequest(study, series, instance, transferSyntax(headers.getAcceptableMediaTypes()));
        String boundary = MultipartRelated.newBoundary();
        ResponseBodies bodies = ResponseBodies.of(http);
        return wado.retrieve(aet, request).thenApply(instances -> Response
                .ok(bodies.body(out -> instances.writeTo(new MultipartRelated(out, boundary)), instances::abandon))
                .header(HttpHeaders.CONTENT_TYPE, MULTIPART_RELATED + "; type=\"" + DICOM + "\"; boundary=" + boundary)
                .build());
    }

    /**
     * The transfer syntax of the first acceptable {@code multipart/related; type="application/dicom"} (a missing type
     * means application/dicom); without a transfer-syntax parameter, Explicit VR Little Endian (PS3.18 §8.7.3.5.2).
     */
    private static String transferSyntax(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isWildcardType()) {
                return WadoRequest.DEFAULT_TRANSFER_SYNTAX;
            }
            if (type.isCompatible(MediaType.valueOf(MULTIPART_RELATED))) {
                String partType = type.getParameters().getOrDefault("type", DICOM).replace("\"", "");
                if (partType.equals(DICOM)) {
                    return type.getParameters().getOrDefault("transfer-syntax", WadoRequest.DEFAULT_TRANSFER_SYNTAX)
                            .replace("\"", "");
                }
            }
        }
        throw new NotAcceptableException("instances are served in one media type",
                List.of("multipart/related; type=\"application/dicom\" (optionally with transfer-syntax=* or a"
                        + " transfer syntax UID)"));
    }
}
