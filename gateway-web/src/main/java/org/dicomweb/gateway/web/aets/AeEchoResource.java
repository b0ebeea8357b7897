package org.dicomweb.gateway.web.aets;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dicomweb.gateway.aets.AeService;

/**
 * {@code /aets/{aet}}: a live C-ECHO to one PACS. A root resource of its own: RESTEasy matches /aets/X against the
 * deeper /aets/{aet}/... roots before it looks at sub-paths of /aets.
 */
@RequestScoped
@Path("/aets/{aet}")
@Produces(MediaType.APPLICATION_JSON)
public class AeEchoResource {

    @Inject
    AeService aes;

    /** Returned without blocking an HTTP worker: the C-ECHO runs on the DIMSE executor. */
    @GET
    public CompletionStage<JsonObject> echo(@PathParam("aet") String aet) {
        return aes.echo(aet).thenApply(result -> Json.createObjectBuilder()
                .add("aet", result.aet())
                .add("echo", "success")
                .add("roundTripMs", Math.round(result.roundTripMs() * 100) / 100.0)
                .build());
    }
}
