package org.dicomweb.gateway.web.admin;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.dicomweb.gateway.admin.ConfigurationReload;
import org.dicomweb.gateway.admin.ConfigurationService;

/**
 * {@code POST /admin/configuration/reload}: applies the {@code dicomweb-gateway} config source as it stands now,
 * without a redeployment or a server reload (docs/deployment.md): 200 with the AEs added, changed, removed and
 * unchanged and the keys that need a server reload; 422 naming the key of a configuration it refuses.
 */
@RequestScoped
@Path("/admin/configuration")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigurationResource {

    @Inject
    ConfigurationService configuration;

    @POST
    @Path("reload")
    public JsonObject reload() {
        ConfigurationReload reload = configuration.reload();
        return Json.createObjectBuilder()
                .add("added", array(reload.added()))
                .add("changed", array(reload.changed()))
                .add("removed", array(reload.removed()))
                .add("unchanged", array(reload.unchanged()))
                .add("needsReload", array(reload.needsReload()))
                .build();
    }

    private static JsonArray array(List<String> values) {
        return Json.createArrayBuilder(values).build();
    }
}
