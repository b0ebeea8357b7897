package org.dicomweb.gateway.web.aets;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dicomweb.gateway.aets.AeService;

/** {@code /aets}: the configured PACS, and a live C-ECHO to one of them. */
@RequestScoped
@Path("/aets")
@Produces(MediaType.APPLICATION_JSON)
public class AetsResource {

    @Inject
    AeService aes;

    @GET
    public JsonArray list() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        aes.list().forEach(ae -> array.add(Json.createObjectBuilder()
                .add("aet", ae.aet())
                .add("host", ae.host())
                .add("port", ae.port())
                .add("callingAet", ae.callingAet())));
        return array.build();
    }

    /** Returned without blocking an HTTP worker: the C-ECHO runs on the DIMSE executor. */
    @GET
    @Path("{aet}")
    public CompletionStage<JsonObject> echo(@PathParam("aet") String aet) {
        return aes.echo(aet).thenApply(result -> Json.createObjectBuilder()
                .add("aet", result.aet())
                .add("echo", "success")
                .add("roundTripMs", Math.round(result.roundTripMs() * 100) / 100.0)
                .build());
    }
}
