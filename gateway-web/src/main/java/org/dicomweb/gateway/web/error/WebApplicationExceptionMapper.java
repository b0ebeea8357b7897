package org.dicomweb.gateway.web.error;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS's own errors (unknown path, wrong method, unacceptable type) in the API's error format. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(WebApplicationException e) {
        String reason = e.getMessage();
        if (e instanceof NotAcceptableException && uri != null) {
            // JAX-RS refuses an Accept that no @Produces matches without naming what would do (PS3.18 §8.7 wants it).
            reason = "none of the accepted media types is available here; this resource answers in "
                    + typesOf(uri.getPath());
        }
        return ErrorBody.response(e.getResponse().getStatusInfo(), reason);
    }

    /** The media types of the resource a path names, as its resource class declares them. */
    static String typesOf(String path) {
        String[] segments = path.replaceAll("/+$", "").split("/");
        String last = segments[segments.length - 1];
        if (last.equals("metadata") || last.equals("studies") || last.equals("series") || last.equals("instances")) {
            return "application/dicom+json, application/json";
        }
        if (path.contains("/bulkdata/")) {
            return "application/octet-stream, multipart/related; type=\"application/octet-stream\"";
        }
        if (path.matches(".*/aets/[^/]+/studies/[^/]+(/series/[^/]+(/instances/[^/]+)?)?/?")) {
            return "multipart/related; type=\"application/dicom\"";
        }
        return "application/json";
    }
}
