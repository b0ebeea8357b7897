package org.dicomweb.gateway.web.studies;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.wado.BulkData;
import org.dicomweb.gateway.wado.MultipartRelated;
import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/**
 * Serves a BulkDataURI (PS3.18 §10.4.1.1.5) for {@link StudiesResource}: as a single {@code application/octet-stream}
 * body, where one byte range is honoured (206), or as {@code multipart/related; type="application/octet-stream"} with
 * the whole value in one part.
 */
@ApplicationScoped
public class BulkDataRetrieve {

    static final String OCTET_STREAM = "application/octet-stream";
    private static final String ACCEPTED = OCTET_STREAM + ", " + WadoRetrieve.MULTIPART_RELATED + "; type=\""
            + OCTET_STREAM + "\"";

    @Inject
    WadoMetadataService metadata;

    @Inject
    HttpServletRequest http;

    CompletionStage<Response> retrieve(HttpHeaders headers, String aet, String study, String series, String instance,
            String tagPath) {
        boolean multipart = wantsMultipart(headers.getAcceptableMediaTypes());
        String range = headers.getHeaderString("Range");
        WadoRequest request = new WadoRequest(study, series, instance, WadoRequest.ANY_TRANSFER_SYNTAX);
        ResponseBodies bodies = ResponseBodies.of(http);
        return metadata.bulkData(aet, request, tagPath)
                .thenApply(value -> multipart ? multipart(value, bodies) : single(value, bodies, range));
    }

    private static Response single(BulkData value, ResponseBodies bodies, String rangeHeader) {
        long length = value.length();
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(rangeHeader, length);
        } catch (ByteRange.Unsatisfiable e) {
            value.close();
            return Response.status(416).header("Content-Range", "bytes */" + length).type(OCTET_STREAM).build();
        }
        long first = range.map(ByteRange::first).orElse(0L);
        long count = range.map(ByteRange::count).orElse(length);
        Response.ResponseBuilder response = range.isPresent()
                ? Response.status(206).header("Content-Range", range.get().contentRange(length))
                : Response.ok();
        return response.entity(bodies.body(out -> value.writeTo(out, first, count), value::close))
                .type(OCTET_STREAM)
                .header(HttpHeaders.CONTENT_LENGTH, count)
                .header("Accept-Ranges", "bytes")
                .build();
    }

    private static Response multipart(BulkData value, ResponseBodies bodies) {
        String boundary = MultipartRelated.newBoundary();
        return Response.ok(bodies.body(out -> {
            MultipartRelated body = new MultipartRelated(out, boundary);
            try {
                value.writeTo(body.nextPart(OCTET_STREAM), 0, value.length());
            } finally {
                value.close(); // also if the part could not start (written, the value is closed already)
            }
            body.finish(null);
        }, value::close)).header(HttpHeaders.CONTENT_TYPE, WadoRetrieve.MULTIPART_RELATED + "; type=\"" + OCTET_STREAM
                + "\"; boundary=" + boundary).build();
    }

    /** The first acceptable type decides; a multipart/related whose parts are not octet streams is not offered. */
    private static boolean wantsMultipart(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isCompatible(MediaType.valueOf(OCTET_STREAM))) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(WadoRetrieve.MULTIPART_RELATED))
                    && type.getParameters().getOrDefault("type", OCTET_STREAM).replace("\"", "").equals(OCTET_STREAM)) {
                return true;
            }
        }
        throw new NotAcceptableException("bulk data is served in other media types", List.of(ACCEPTED));
    }
}
