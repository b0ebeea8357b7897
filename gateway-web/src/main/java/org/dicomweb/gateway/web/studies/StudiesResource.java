package org.dicomweb.gateway.web.studies;

import java.io.InputStream;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.qido.QidoResource;

/**
 * {@code /aets/{aet}/studies...}: QIDO-RS searches within studies (PS3.18 §10.6), WADO-RS retrieval of studies,
 * series and instances, their metadata, bulk data, frames, rendered images and thumbnails (§10.4) and STOW-RS
 * (§10.5).
 */
@RequestScoped
@Path("/aets/{aet}/studies")
public class StudiesResource {

    @Inject
    QidoSearch qido;

    @Inject
    WadoRetrieve wado;

    @Inject
    StowUpload stow;

    @Inject
    MetadataRetrieve metadata;

    @Inject
    BulkDataRetrieve bulkData;

    @Inject
    FramesRetrieve frames;

    @Inject
    RenderedRetrieve rendered;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uri;

    @Context
    HttpServletResponse response;

    @PathParam("aet")
    String aet;

    @GET
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> searchStudies() {
        return qido.search(uri, aet, QidoResource.STUDIES, null, null);
    }

    @GET
    @Path("{study}/series")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> searchSeries(@PathParam("study") String study) {
        return qido.search(uri, aet, QidoResource.STUDY_SERIES, study, null);
    }

    @GET
    @Path("{study}/series/{series}/instances")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> searchInstancesOfSeries(@PathParam("study") String study,
            @PathParam("series") String series) {
        return qido.search(uri, aet, QidoResource.STUDY_SERIES_INSTANCES, study, series);
    }

    @GET
    @Path("{study}/instances")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> searchInstancesOfStudy(@PathParam("study") String study) {
        return qido.search(uri, aet, QidoResource.STUDY_INSTANCES, study, null);
    }

    @GET
    @Path("{study}")
    @Produces(WadoRetrieve.MULTIPART_RELATED)
    public CompletionStage<Response> retrieveStudy(@PathParam("study") String study) {
        return wado.retrieve(headers, response, aet, study, null, null);
    }

    @GET
    @Path("{study}/series/{series}")
    @Produces(WadoRetrieve.MULTIPART_RELATED)
    public CompletionStage<Response> retrieveSeries(@PathParam("study") String study,
            @PathParam("series") String series) {
        return wado.retrieve(headers, response, aet, study, series, null);
    }

    @GET
    @Path("{study}/series/{series}/instances/{instance}")
    @Produces(WadoRetrieve.MULTIPART_RELATED)
    public CompletionStage<Response> retrieveInstance(@PathParam("study") String study,
            @PathParam("series") String series, @PathParam("instance") String instance) {
        return wado.retrieve(headers, response, aet, study, series, instance);
    }

    @GET
    @Path("{study}/metadata")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> studyMetadata(@PathParam("study") String study) {
        return metadata.metadata(uri, aet, study, null, null);
    }

    @GET
    @Path("{study}/series/{series}/metadata")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> seriesMetadata(@PathParam("study") String study,
            @PathParam("series") String series) {
        return metadata.metadata(uri, aet, study, series, null);
    }

    @GET
    @Path("{study}/series/{series}/instances/{instance}/metadata")
    @Produces({QidoSearch.DICOM_JSON, "application/json"})
    public CompletionStage<Response> instanceMetadata(@PathParam("study") String study,
            @PathParam("series") String series, @PathParam("instance") String instance) {
        return metadata.metadata(uri, aet, study, series, instance);
    }

    /** The BulkDataURIs of the metadata: a tag path such as 7FE00010 or 00540016/0/00181072. */
    @GET
    @Path("{study}/series/{series}/instances/{instance}/bulkdata/{path: .+}")
    @Produces({BulkDataRetrieve.OCTET_STREAM, WadoRetrieve.MULTIPART_RELATED})
    public CompletionStage<Response> bulkData(@PathParam("study") String study, @PathParam("series") String series,
            @PathParam("instance") String instance, @PathParam("path") String path) {
        return bulkData.retrieve(headers, aet, study, series, instance, path);
    }

    /** Accept is negotiated by {@link FramesRetrieve} against the encoding the frames are held in. */
    @GET
    @Path("{study}/series/{series}/instances/{instance}/frames/{frames}")
    public CompletionStage<Response> frames(@PathParam("study") String study, @PathParam("series") String series,
            @PathParam("instance") String instance, @PathParam("frames") String frameList) {
        return frames.retrieve(headers, aet, study, series, instance, frameList);
    }

    /** {@code kind}: rendered or thumbnail (the same rendering, a thumbnail fits a small viewport by default). */
    @GET
    @Path("{study}/{kind: rendered|thumbnail}")
    public CompletionStage<Response> renderedStudy(@PathParam("kind") String kind, @PathParam("study") String study) {
        return rendered.render(kind, headers, uri.getQueryParameters(), aet, study, null, null, null);
    }

    @GET
    @Path("{study}/series/{series}/{kind: rendered|thumbnail}")
    public CompletionStage<Response> renderedSeries(@PathParam("kind") String kind, @PathParam("study") String study,
            @PathParam("series") String series) {
        return rendered.render(kind, headers, uri.getQueryParameters(), aet, study, series, null, null);
    }

    @GET
    @Path("{study}/series/{series}/instances/{instance}/{kind: rendered|thumbnail}")
    public CompletionStage<Response> renderedInstance(@PathParam("kind") String kind,
            @PathParam("study") String study, @PathParam("series") String series,
            @PathParam("instance") String instance) {
        return rendered.render(kind, headers, uri.getQueryParameters(), aet, study, series, instance, null);
    }

    @GET
    @Path("{study}/series/{series}/instances/{instance}/frames/{frames}/{kind: rendered|thumbnail}")
    public CompletionStage<Response> renderedFrame(@PathParam("kind") String kind, @PathParam("study") String study,
            @PathParam("series") String series, @PathParam("instance") String instance,
            @PathParam("frames") String frameList) {
        return rendered.render(kind, headers, uri.getQueryParameters(), aet, study, series, instance, frameList);
    }

    @POST
    @Consumes(WadoRetrieve.MULTIPART_RELATED)
    @Produces({QidoSearch.DICOM_JSON, "application/json", StowUpload.DICOM_XML})
    public void store(@Suspended AsyncResponse response, InputStream body) {
        stow.store(response, headers, aet, null, body, uri.getBaseUri().toString().replaceAll("/$", ""));
    }

    @POST
    @Path("{study}")
    @Consumes(WadoRetrieve.MULTIPART_RELATED)
    @Produces({QidoSearch.DICOM_JSON, "application/json", StowUpload.DICOM_XML})
    public void storeIntoStudy(@Suspended AsyncResponse response, @PathParam("study") String study, InputStream body) {
        stow.store(response, headers, aet, study, body, uri.getBaseUri().toString().replaceAll("/$", ""));
    }
}
