package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * An AE added, changed and removed in the config source with the management API (as the CLI's map-put does) and
 * applied by POST /admin/configuration/reload, without a redeployment or a server reload; an invalid change refused
 * naming the key while the configuration in force keeps serving; an AE left unchanged keeps its pool and associations.
 * The config source is put back in the end (and applied), so the server's next reload sees what it had.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LiveConfigurationIT extends DeployedGateway {

    /** A second name for the running Orthanc, over DIMSE. */
    private static final String AE = "ORTHANC-LIVE";
    private static final String PREFIX = "gateway.aet." + AE + ".";
    private static final List<String> AE_KEYS = List.of("host", "port", "called-aet", "relational-queries",
            "pool-size");
    private static final String RELOAD = Http.GATEWAY + "/admin/configuration/reload";
    private static final String STUDY_UID = "0020000D";

    @ArquillianResource
    ManagementClient management;

    @Test
    void anAeIsAddedChangedAndRemovedWithoutARestart() throws Exception {
        String aets = property("gateway.aets");
        String scpPort = property("gateway.scp.port");
        try {
            // an expression, as the admin console may write one: expanded like the deployment's configuration
            put(PREFIX + "host", "${gateway.test.no-such-property:" + TestPeers.HOST + "}");
            put(PREFIX + "port", String.valueOf(TestPeers.ORTHANC_PORT));
            put(PREFIX + "called-aet", "ORTHANC");
            put(PREFIX + "relational-queries", "true");
            put("gateway.aets", aets + "," + AE);
            assertEquals(404, Http.get(Http.GATEWAY + "/aets/" + AE).status(), "written, not yet applied");
            int orthancOpen = associationInQueryPool("ORTHANC");

            JsonObject added = reload(200);
            assertEquals(List.of(AE), strings(added, "added"));
            assertEquals(List.of(), strings(added, "changed"));
            assertEquals(List.of(), strings(added, "removed"));
            assertEquals(List.of(), strings(added, "needsReload"));
            assertTrue(strings(added, "unchanged").containsAll(List.of("ORTHANC", "DCMQRSCP", "ORTHANC-WEB", "S3")),
                    added.toString());
            assertEquals(orthancOpen, queryPool("ORTHANC").getInt("open"),
                    "ORTHANC unchanged: its pool and its open association kept");
            JsonObject live = ae(AE);
            assertEquals(TestPeers.HOST, live.getString("host"), "the expression expanded");
            assertEquals(TestPeers.ORTHANC_PORT, live.getInt("port"));
            assertEquals(4, live.getJsonObject("associations").getInt("poolSize"));
            assertEquals(studies("ORTHANC"), studies(AE), "the same Orthanc under its new name");
            assertEquals("success", Http.get(Http.GATEWAY + "/aets/" + AE).json().asJsonObject().getString("echo"));

            put(PREFIX + "pool-size", "2");
            orthancOpen = associationInQueryPool("ORTHANC");
            JsonObject changed = reload(200);
            assertEquals(List.of(AE), strings(changed, "changed"));
            assertTrue(strings(changed, "unchanged").contains("ORTHANC"), changed.toString());
            JsonObject newPool = ae(AE).getJsonObject("associations");
            assertEquals(2, newPool.getInt("poolSize"));
            assertEquals(0, newPool.getInt("open"), "a new pool: the old one's association was released");
            assertEquals(orthancOpen, queryPool("ORTHANC").getInt("open"), "ORTHANC's pool kept again");

            put(PREFIX + "port", "not-a-port");
            Http.Reply refused = Http.send("POST", RELOAD, null, null);
            assertEquals(422, refused.status(), refused.body());
            assertEquals("configuration key 'gateway.aet.ORTHANC-LIVE.port' is 'not-a-port', not a whole number",
                    refused.json().asJsonObject().getString("reason"));
            assertEquals(2, ae(AE).getJsonObject("associations").getInt("poolSize"), "the configuration in force stays");
            assertEquals(studies("ORTHANC"), studies(AE), "and serves");
            put(PREFIX + "port", String.valueOf(TestPeers.ORTHANC_PORT));

            put("gateway.scp.port", "11199");
            JsonObject needsReload = reload(200);
            assertEquals(List.of("gateway.scp.port"), strings(needsReload, "needsReload"));
            assertEquals(List.of(), strings(needsReload, "changed"));
            TestPeers.run("echoscu", "-aet", "ECHOSCU", "-aec", "DICOMWEB", TestPeers.HOST,
                    String.valueOf(TestPeers.GATEWAY_SCP_PORT)); // the Storage SCP still listens where it did
            put("gateway.scp.port", scpPort);

            put("gateway.aets", aets);
            removeAeKeys();
            JsonObject removed = reload(200);
            assertEquals(List.of(AE), strings(removed, "removed"));
            assertEquals(List.of(), strings(removed, "needsReload"));
            Http.Reply gone = Http.get(Http.GATEWAY + "/aets/" + AE + "/studies");
            assertEquals(404, gone.status(), gone.body());
            assertTrue(Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream()
                    .noneMatch(ae -> ae.asJsonObject().getString("aet").equals(AE)));
        } finally {
            put("gateway.aets", aets);
            put("gateway.scp.port", scpPort);
            removeAeKeys();
            Http.send("POST", RELOAD, null, null);
        }
    }

    /** A search on the AE's query pool, whose association then stays open in it: its open count. */
    private static int associationInQueryPool(String aet) {
        studies(aet);
        int open = queryPool(aet).getInt("open");
        assertTrue(open >= 1, "a search leaves its association open in the pool");
        return open;
    }

    private static Set<String> studies(String aet) {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/" + aet + "/studies?includefield=" + STUDY_UID);
        assertEquals(200, reply.status(), aet + ": " + reply.body());
        return reply.json().asJsonArray().stream()
                .map(study -> study.asJsonObject().getJsonObject(STUDY_UID).getJsonArray("Value").getString(0))
                .collect(Collectors.toSet());
    }

    private static JsonObject ae(String aet) {
        return Http.get(Http.GATEWAY + "/aets").json().asJsonArray().stream().map(JsonValue::asJsonObject)
                .filter(ae -> ae.getString("aet").equals(aet)).findFirst()
                .orElseThrow(() -> new AssertionError(aet + " not in /aets"));
    }

    private static JsonObject queryPool(String aet) {
        return ae(aet).getJsonObject("associations");
    }

    private static JsonObject reload(int status) {
        Http.Reply reply = Http.send("POST", RELOAD, null, null);
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/json", reply.contentType());
        return reply.json().asJsonObject();
    }

    private static List<String> strings(JsonObject reply, String name) {
        JsonArray array = reply.getJsonArray(name);
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    private void removeAeKeys() throws Exception {
        for (String key : AE_KEYS) {
            ModelNode remove = Operations.createOperation("map-remove", configSource());
            remove.get("name").set("properties");
            remove.get("key").set(PREFIX + key);
            execute(remove);
        }
    }

    private void put(String key, String value) throws Exception {
        ModelNode put = Operations.createOperation("map-put", configSource());
        put.get("name").set("properties");
        put.get("key").set(key);
        put.get("value").set(value);
        execute(put);
    }

    private String property(String key) throws Exception {
        ModelNode get = Operations.createOperation("map-get", configSource());
        get.get("name").set("properties");
        get.get("key").set(key);
        return Operations.readResult(execute(get)).asString();
    }

    private ModelNode execute(ModelNode operation) throws Exception {
        ModelNode result = management.getControllerClient().execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), operation + ": " + result);
        return result;
    }

    private static ModelNode configSource() {
        return Operations.createAddress("subsystem", "microprofile-config-smallrye", "config-source",
                "dicomweb-gateway");
    }
}
