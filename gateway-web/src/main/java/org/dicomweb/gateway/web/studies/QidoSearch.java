package org.dicomweb.gateway.web.studies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.qido.QidoRequest;
import org.dicomweb.gateway.qido.QidoResource;
import org.dicomweb.gateway.qido.QidoResult;
import org.dicomweb.gateway.qido.QidoService;
import org.dicomweb.gateway.web.Warnings;
import org.dicomweb.gateway.web.observe.RequestFacts;

/**
 * Runs a QIDO-RS search for the resource classes (one per URL space: /studies, /series, /instances, since JAX-RS
 * picks a root resource by its literal path) and turns the result into the response.
 */
@ApplicationScoped
public class QidoSearch {

    static final String DICOM_JSON = "application/dicom+json";

    @Inject
    QidoService qido;

    @Inject
    HttpServletRequest http;

    /** The search runs on the DIMSE executor; the calling HTTP thread returns at once. */
    CompletionStage<Response> search(UriInfo uri, String aet, QidoResource resource, String study, String series) {
        Map<String, List<String>> parameters = new LinkedHashMap<>(uri.getQueryParameters(true));
        String retrieveBase = uri.getBaseUriBuilder().path("aets").path(aet).build().toString();
        QidoRequest request = new QidoRequest(resource, study, series, parameters, retrieveBase);
        ResponseBodies bodies = ResponseBodies.of(http);
        RequestFacts audit = RequestFacts.of(http);
        return qido.search(aet, request).thenApply(result -> response(result, bodies, audit));
    }

    /** Without matches the search is over already (nothing to write, nothing held). */
    private static Response response(QidoResult result, ResponseBodies bodies, RequestFacts audit) {
        audit.searched();
        Response.ResponseBuilder response = result.hasMatches()
                // type: the one of @Produces the client accepts
                ? Response.ok(bodies.body(out -> result.writeTo(audit.countingMatches(out)), result::abandon))
                : Response.noContent();
        result.warnings().forEach(text -> response.header("Warning", Warnings.header(text)));
        return response.build();
    }
}
