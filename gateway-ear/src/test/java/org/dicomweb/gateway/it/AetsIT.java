package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/** /aets, C-ECHO and health, with the built EAR in WildFly against the real Orthanc and dcmqrscp. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AetsIT extends DeployedGateway {

    /**
     * The AEs of wildfly-config/test-s3-faults.cli and test-tasks.cli that are DOWN by design (S3FaultsIT and TasksIT
     * check why).
     */
    /** Down by design: a missing bucket, a wrong key, a dead port, a TLS handshake with a plain PACS (test CLIs). */
    private static final Set<String> FAULT_AES = Set.of("S3-NO-BUCKET", "S3-WRONG-KEY", "TASKS-DOWN", "TLS-PLAIN");

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
        assertEquals(List.of("ORTHANC", "DCMQRSCP", "ORTHANC-MOVE", "ORTHANC-WEB", "S3", "ORTHANC-DEST", "ORTHANC-DEID",
                "S3-WRONG-KEY", "S3-NO-BUCKET", "S3-REFUSE", "TASKS-DOWN", "TASKS-S3", "ORTHANC-TLS", "TLS-PLAIN"),
                aes.stream().map(ae -> ae.asJsonObject().getString("aet")).toList(), "in gateway.aets order");
        assertEquals("dicomweb", aes.getJsonObject(3).getString("backend"));
        assertEquals("s3", aes.getJsonObject(4).getString("backend"));
        JsonObject deidentifying = aes.getJsonObject(6);
        assertEquals("deidentify", deidentifying.getString("backend"));
        assertEquals("ORTHANC", deidentifying.getString("source"));
        assertEquals("false", deidentifying.getString("retainUids"));
        assertFalse(deidentifying.toString().contains(TestPeers.DEIDENTIFY_SECRET), "the secret is never shown");
        assertEquals(TestPeers.ORTHANC_PORT, aes.getJsonObject(0).getInt("port"));
        assertEquals("DICOMWEB", aes.getJsonObject(1).getString("callingAet"));
        assertEquals("tcp", aes.getJsonObject(1).getString("transport"));
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

    /**
     * The test configuration holds AEs that are never ready (S3-WRONG-KEY, S3-NO-BUCKET of test-s3-faults.cli,
     * TASKS-DOWN of test-tasks.cli), so readiness is DOWN throughout; what a killed PACS changes is the set of AEs
     * DOWN, which is checked exactly.
     */
    @Test
    void aKilledPacsIs502AndNotReadyThenRecoversWithoutRedeploy() {
        assertEquals(FAULT_AES, down(Http.get(Http.HEALTH + "/ready")), "all ready but the fault AEs");

        TestPeers.stop("orthanc");
        Http.Reply echo = Http.get(Http.GATEWAY + "/aets/ORTHANC");
        assertEquals(502, echo.status());
        // The idle association the readiness check left fails first ("connection closed"), then connecting is refused.
        assertTrue(echo.json().asJsonObject().getString("reason").startsWith("ORTHANC at 127.0.0.1:14242: "),
                echo.body());

        Http.Reply ready = Http.get(Http.HEALTH + "/ready");
        assertEquals(503, ready.status());
        assertEquals("DOWN", check(ready, "pacs-echo").getString("status"));
        assertEquals("DOWN: ORTHANC at 127.0.0.1:14242: connection refused", Http.readiness(ready).get("ORTHANC"));
        Set<String> expected = new TreeSet<>(FAULT_AES);
        // One Orthanc behind all four: ORTHANC-DEID is as ready as ORTHANC, the AE it reads through.
        expected.addAll(Set.of("ORTHANC", "ORTHANC-MOVE", "ORTHANC-WEB", "ORTHANC-DEID"));
        assertEquals(expected, down(ready), "DCMQRSCP and S3 still UP");
        assertEquals(200, Http.get(Http.HEALTH + "/live").status(), "a PACS down never makes the gateway dead");

        TestPeers.start("orthanc");
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC").status());
        assertEquals(FAULT_AES, down(Http.get(Http.HEALTH + "/ready")), "ORTHANC ready again");
    }

    /** The AEs the readiness probe lists DOWN; fails unless the probe's status agrees with them. */
    private static Set<String> down(Http.Reply ready) {
        Set<String> down = new TreeSet<>();
        Http.readiness(ready).forEach((aet, state) -> {
            if (!state.startsWith("UP")) {
                down.add(aet);
            }
        });
        assertEquals(down.isEmpty() ? 200 : 503, ready.status(), ready.body());
        return down;
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
