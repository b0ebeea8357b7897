package org.dicomweb.gateway.web.studies;

import java.util.concurrent.CompletionStage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.wado.WadoMetadataService;
import org.dicomweb.gateway.wado.WadoRequest;

/** Runs a WADO-RS metadata request (PS3.18 §10.4.1.1.2) for {@link StudiesResource}. */
@ApplicationScoped
public class MetadataRetrieve {

    @Inject
    WadoMetadataService metadata;

    @Inject
    HttpServletRequest http;

    CompletionStage<Response> metadata(UriInfo uri, String aet, String study, String series, String instance) {
        String retrieveBase = uri.getBaseUriBuilder().path("aets").path(aet).build().toString();
        WadoRequest request = new WadoRequest(study, series, instance, WadoRequest.ANY_TRANSFER_SYNTAX);
        ResponseBodies bodies = ResponseBodies.of(http);
        // type: the one of @Produces the client accepts
        return metadata.metadata(aet, request, retrieveBase)
                .thenApply(body -> Response.ok(bodies.body(body::writeTo, body::abandon)).build());
    }
}
