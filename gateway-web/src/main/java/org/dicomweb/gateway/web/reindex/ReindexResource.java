package org.dicomweb.gateway.web.reindex;

import java.time.Instant;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.reindex.ReindexService;
import org.dicomweb.gateway.reindex.ReindexStatus;

/**
 * {@code /aets/{aet}/reindex}: POST starts a rebuild of an S3 AE's index from its bucket (202, the status, and where
 * to follow it), GET shows the running or last one. AccessFilter lets in the AE's admin roles only (Service.REINDEX).
 */
@RequestScoped
@Path("/aets/{aet}/reindex")
@Produces(MediaType.APPLICATION_JSON)
public class ReindexResource {

    @Inject
    ReindexService reindex;

    @Context
    UriInfo uri;

    @POST
    public Response start(@PathParam("aet") String aet) {
        return Response.accepted(json(reindex.start(aet))).location(uri.getAbsolutePath()).build();
    }

    @GET
    public JsonObject status(@PathParam("aet") String aet) {
        return json(reindex.status(aet));
    }

    static JsonObject json(ReindexStatus status) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("aet", status.aet())
                .add("state", status.state().name());
        time(json, "started", status.started());
        time(json, "finished", status.finished());
        json.add("listed", status.listed())
                .add("indexed", status.indexed())
                .add("unchanged", status.unchanged())
                .add("failed", status.failed())
                .add("removed", status.removed());
        if (status.message() != null) {
            json.add("message", status.message());
        }
        return json.build();
    }

    private static void time(JsonObjectBuilder json, String name, Instant value) {
        if (value != null) {
            json.add(name, value.toString());
        }
    }
}
