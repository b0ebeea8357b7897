package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/** /aets, C-ECHO and health, with the built EAR in WildFly against the real Orthanc and dcmqrscp. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AetsIT {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("gateway.ear")));
    }

    @BeforeEach
    @AfterEach
    void peersUp() {
        TestPeers.thaw("orthanc");
        TestPeers.start("all");
    }

    @Test
    void listsTheConfiguredAes() {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets");
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.contentType());
        JsonArray aes = reply.json().asJsonArray();
        assertEquals(4, aes.size());
        assertEquals("ORTHANC-MOVE", aes.getJsonObject(2).getString("aet"));
        assertEquals("ORTHANC-WEB", aes.getJsonObject(3).getString("aet"));
        assertEquals("dicomweb", aes.getJsonObject(3).getString("backend"));
        assertEquals("ORTHANC", aes.getJsonObject(0).getString("aet"));
        assertEquals(TestPeers.ORTHANC_PORT, aes.getJsonObject(0).getInt("port"));
        assertEquals("DCMQRSCP", aes.getJsonObject(1).getString("aet"));
        assertEquals("DICOMWEB", aes.getJsonObject(1).getString("callingAet"));
        JsonObject pool = aes.getJsonObject(0).getJsonObject("associations");
        assertEquals(4, pool.getInt("poolSize"));
        assertEquals(0, pool.getInt("busy"));
        assertEquals(pool.getInt("open"), pool.getInt("idle"), "nothing busy, so every open association is idle");
    }

    @Test
    void listsEveryPoolOfAPacs() {
        // a fuzzy search opens the fuzzy query pool; its association stays there, idle
        int status = Http.get(Http.GATEWAY + "/aets/ORTHANC/studies?fuzzymatching=true&limit=1").status();
        assertTrue(status == 200 || status == 204, "search answered " + status);
        JsonObject orthanc = Http.get(Http.GATEWAY + "/aets").json().asJsonArray().getJsonObject(0);
        JsonArray pools = orthanc.getJsonArray("pools");
        assertEquals("query", pools.getJsonObject(0).getString("purpose"));
        assertEquals(orthanc.getJsonObject("associations"), pools.getJsonObject(0), "associations: the query pool");
        JsonObject fuzzy = pools.stream().map(JsonValue::asJsonObject)
                .filter(pool -> pool.getString("purpose").equals("fuzzy query")).findFirst().orElseThrow();
        assertEquals(4, fuzzy.getInt("poolSize"));
        assertEquals(1, fuzzy.getInt("open"), "the search's association, back in its pool");
        assertEquals(1, fuzzy.getInt("idle"));
    }

    @Test
    void echoesEachPacs() {
        for (String aet : new String[] {"ORTHANC", "DCMQRSCP"}) {
            for (int i = 0; i < 3; i++) {
                Http.Reply reply = Http.get(Http.GATEWAY + "/aets/" + aet);
                assertEquals(200, reply.status(), reply.body());
                JsonObject echo = reply.json().asJsonObject();
                assertEquals(aet, echo.getString("aet"));
                assertEquals("success", echo.getString("echo"));
                assertTrue(echo.getJsonNumber("roundTripMs").doubleValue() > 0);
            }
        }
    }

    @Test
    void anUnknownAeIs404WithAReason() {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/NOPE");
        assertEquals(404, reply.status());
        assertEquals("application/json", reply.contentType());
        JsonObject error = reply.json().asJsonObject();
        assertEquals(404, error.getInt("status"));
        assertEquals("unknown AE title 'NOPE': not listed in gateway.aets", error.getString("reason"));
    }

    @Test
    void theStorageScpAnswersDcmtkAndIsLive() {
        TestPeers.run("echoscu", "-aet", "ECHOSCU", "-aec", "DICOMWEB", TestPeers.HOST,
                String.valueOf(TestPeers.GATEWAY_SCP_PORT));
        Http.Reply live = Http.get(Http.HEALTH + "/live");
        assertEquals(200, live.status(), live.body());
        JsonObject scp = check(live, "dicom-storage-scp");
        assertEquals("UP", scp.getString("status"));
        assertEquals("DICOMWEB", scp.getJsonObject("data").getString("aet"));
    }

    @Test
    void aKilledPacsIs502AndNotReadyThenRecoversWithoutRedeploy() {
        Http.Reply ready = Http.get(Http.HEALTH + "/ready");
        assertEquals(200, ready.status(), ready.body());
        assertTrue(check(ready, "pacs-echo").getJsonObject("data").getString("ORTHANC").startsWith("UP"));

        TestPeers.stop("orthanc");
        Http.Reply echo = Http.get(Http.GATEWAY + "/aets/ORTHANC");
        assertEquals(502, echo.status());
        // The idle association the readiness check left fails first ("connection closed"), then connecting is refused.
        assertTrue(echo.json().asJsonObject().getString("reason").startsWith("ORTHANC at 127.0.0.1:14242: "),
                echo.body());

        ready = Http.get(Http.HEALTH + "/ready");
        assertEquals(503, ready.status());
        JsonObject pacs = check(ready, "pacs-echo");
        assertEquals("DOWN", pacs.getString("status"));
        assertEquals("DOWN: ORTHANC at 127.0.0.1:14242: connection refused",
                pacs.getJsonObject("data").getString("ORTHANC"));
        assertTrue(pacs.getJsonObject("data").getString("DCMQRSCP").startsWith("UP"));
        assertEquals(200, Http.get(Http.HEALTH + "/live").status(), "a PACS down never makes the gateway dead");

        TestPeers.start("orthanc");
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC").status());
        assertEquals(200, Http.get(Http.HEALTH + "/ready").status());
    }

    @Test
    void aHungPacsIs504() {
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC").status(), "leaves an idle association");
        TestPeers.freeze("orthanc");
        Http.Reply echo = Http.get(Http.GATEWAY + "/aets/ORTHANC");
        assertEquals(504, echo.status());
        assertEquals("ORTHANC at 127.0.0.1:14242: no answer to C-ECHO within 3000 ms",
                echo.json().asJsonObject().getString("reason"));
    }

    private static JsonObject check(Http.Reply health, String name) {
        return health.json().asJsonObject().getJsonArray("checks").stream()
                .map(JsonObject.class::cast)
                .filter(check -> name.equals(check.getString("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health.body()));
    }
}
