package org.dicomweb.gateway.web.aets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dicomweb.gateway.aets.AeService;

/** {@code /aets}: the configured PACS, with the state of their association pools. */
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
                .add("callingAet", ae.callingAet())
                .add("associations", Json.createObjectBuilder()
                        .add("open", ae.openAssociations())
                        .add("idle", ae.idleAssociations())
                        .add("busy", ae.busyAssociations())
                        .add("waiting", ae.waitingRequests())
                        .add("poolSize", ae.poolSize()))));
        return array.build();
    }
}
