package org.dicomweb.gateway.web.aets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.aets.PoolState;

/** {@code /aets}: the configured AEs with their backends, and the state of the association pools of DIMSE ones. */
@RequestScoped
@Path("/aets")
@Produces(MediaType.APPLICATION_JSON)
public class AetsResource {

    @Inject
    AeService aes;

    @GET
    public JsonArray list() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        aes.list().forEach(ae -> {
            JsonObjectBuilder json = Json.createObjectBuilder().add("aet", ae.aet()).add("backend", ae.backend());
            ae.settings().forEach((key, value) -> {
                if (value instanceof Number number) {
                    json.add(key, number.longValue());
                } else {
                    json.add(key, String.valueOf(value));
                }
            });
            if (!ae.pools().isEmpty()) {
                JsonArrayBuilder pools = Json.createArrayBuilder();
                ae.pools().forEach(pool -> pools.add(json(pool)));
                json.add("associations", json(ae.pools().get(0))).add("pools", pools);
            }
            array.add(json);
        });
        return array.build();
    }

    private static JsonObjectBuilder json(PoolState pool) {
        return Json.createObjectBuilder()
                .add("purpose", pool.purpose())
                .add("open", pool.open())
                .add("idle", pool.idle())
                .add("busy", pool.busy())
                .add("waiting", pool.waiting())
                .add("poolSize", pool.size());
    }
}
