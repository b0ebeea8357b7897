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

/** {@code /aets/{aet}/studies...}: the QIDO-RS searches within studies (PS3.18 §10.6). */
@RequestScoped
@Path("/aets/{aet}/studies")
@Produces({QidoSearch.DICOM_JSON, "application/json"})
public class StudiesResource {

    @Inject
    QidoSearch qido;

    @Context
    UriInfo uri;

    @PathParam("aet")
    String aet;

    @GET
    public CompletionStage<Response> searchStudies() {
        return qido.search(uri, aet, QidoResource.STUDIES, null, null);
    }

    @GET
    @Path("{study}/series")
    public CompletionStage<Response> searchSeries(@PathParam("study") String study) {
        return qido.search(uri, aet, QidoResource.STUDY_SERIES, study, null);
    }

    @GET
    @Path("{study}/series/{series}/instances")
    public CompletionStage<Response> searchInstancesOfSeries(@PathParam("study") String study,
            @PathParam("series") String series) {
        return qido.search(uri, aet, QidoResource.STUDY_SERIES_INSTANCES, study, series);
    }

    @GET
    @Path("{study}/instances")
    public CompletionStage<Response> searchInstancesOfStudy(@PathParam("study") String study) {
        return qido.search(uri, aet, QidoResource.STUDY_INSTANCES, study, null);
    }
}
