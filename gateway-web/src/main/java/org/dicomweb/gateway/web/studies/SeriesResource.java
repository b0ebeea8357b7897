package org.dicomweb.gateway.web.studies;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.qido.QidoResource;

/** {@code /aets/{aet}/series}: QIDO-RS search for series of all studies. */
@RequestScoped
@Path("/aets/{aet}/series")
@Produces({QidoSearch.DICOM_JSON, "application/json"})
public class SeriesResource {

    @Inject
    QidoSearch qido;

    @Context
    UriInfo uri;

    @GET
    public CompletionStage<Response> searchSeries(@PathParam("aet") String aet) {
        return qido.search(uri, aet, QidoResource.SERIES, null, null);
    }
}
