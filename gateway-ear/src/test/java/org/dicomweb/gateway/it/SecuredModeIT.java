package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The secured mode (docs/security.md) against a real OIDC provider (the oauth peer, mock-oauth2-server): the server
 * is switched to mode oidc with system properties (ordinal 400, over the config source's mode none) and gateway.cli's
 * own secure-deployment line, the EAR deployed, the corpus of tokens run (each case a 401 or 403 with its reason, or
 * the positive 200), and everything put back, so that the ITs after this one find the open server. Also: mode oidc
 * without a provider fails the deployment naming the key, and mode none deploys open and says so.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecuredModeIT extends GatewayDeployedOnDemand {

    private static final String GATEWAY = Http.GATEWAY;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the secured mode takes: the provider, and roles on two AEs and a task destination. */
    private static final Map<String, String> SECURED = new LinkedHashMap<>();

    static {
        SECURED.put("gateway.auth.mode", "oidc");
        SECURED.put("gateway.oidc.provider-url", OidcTokens.ISSUER);
        SECURED.put("gateway.oidc.client-id", "dicomweb-gateway");
        SECURED.put("gateway.aet.ORTHANC.roles.read", "orthanc-read");
        SECURED.put("gateway.aet.ORTHANC.roles.store", "orthanc-store");
        SECURED.put("gateway.aet.DCMQRSCP.roles.read", "dcmqrscp-read");
        SECURED.put("gateway.aet.ORTHANC-DEST.roles.destination", "deliver-to-dest");
    }

    @BeforeAll
    static void peers() {
        TestPeers.start("all");
    }

    private record Reply(int status, String challenge, String body) {
        String reason() {
            return Json.createReader(new StringReader(body)).readObject().getString("reason");
        }
    }

    @Test
    void everyTokenGetsWhatItsRolesAllowAndNothingElse() throws Exception {
        List<String> added = new ArrayList<>();
        boolean secured = false;
        try {
            for (Map.Entry<String, String> property : SECURED.entrySet()) {
                setProperty(property.getKey(), property.getValue());
                added.add(property.getKey());
            }
            jbossCli(secureDeploymentLine());
            secured = true;
            deployer.deploy(DEPLOYMENT);

            String reader = OidcTokens.token("orthanc-reader");
            String qido = "/aets/ORTHANC/studies?limit=1";
            String forged = OidcTokens.withClaims(reader, Json.createObjectBuilder(OidcTokens.claims(reader))
                    .add("roles", Json.createArrayBuilder().add("gateway-superuser")).build());
            String readOrthanc = "reading from AE ORTHANC needs one of the roles orthanc-read, gateway-superuser"
                    + " (gateway.aet.ORTHANC.roles.read)";
            List<Executable> corpus = new ArrayList<>();
            corpus.add(() -> unauthenticated("no token", get(qido, null)));
            corpus.add(() -> unauthenticated("not a JWT", get(qido, "not-a-token")));
            corpus.add(() -> unauthenticated("expired", get(qido, OidcTokens.token("expired"))));
            corpus.add(() -> unauthenticated("wrong audience", get(qido, OidcTokens.token("wrong-audience"))));
            corpus.add(() -> unauthenticated("wrong issuer",
                    get(qido, OidcTokens.token(OidcTokens.OTHER_ISSUER, "superuser"))));
            corpus.add(() -> unauthenticated("bad signature (claims changed)", get(qido, forged)));
            corpus.add(() -> unauthenticated("no token, a path no resource serves", get("/no/such/path", null)));
            corpus.add(() -> forbidden("no roles", get(qido, OidcTokens.token("no-roles")), readOrthanc));
            corpus.add(() -> forbidden("a role for another AE", get(qido, OidcTokens.token("dcmqrscp-reader")),
                    readOrthanc));
            corpus.add(() -> forbidden("reading is not storing", stow(reader),
                    "storing into AE ORTHANC needs one of the roles orthanc-store, gateway-superuser"
                            + " (gateway.aet.ORTHANC.roles.store)"));
            corpus.add(() -> forbidden("the change feed", get("/changefeed?limit=1", reader),
                    "the change feed (instances of every AE) needs the role gateway-superuser"
                            + " (gateway.auth.super-user-role)"));
            corpus.add(() -> forbidden("a task to a destination without its role", postTask(reader),
                    "delivering a retrieval task to AE ORTHANC-DEST needs one of the roles deliver-to-dest,"
                            + " gateway-superuser (gateway.aet.ORTHANC-DEST.roles.destination)"));
            corpus.add(() -> allowed("QIDO-RS with read (roles claim)", get(qido, reader)));
            corpus.add(() -> allowed("STOW-RS with store (resource_access)", stow(OidcTokens.token("orthanc-storer"))));
            corpus.add(() -> allowed("the AE list for any caller", get("/aets", OidcTokens.token("no-roles"))));
            String superuser = OidcTokens.token("superuser");
            corpus.add(() -> allowed("super-user (realm_access): DCMQRSCP", get("/aets/DCMQRSCP/studies?limit=1",
                    superuser)));
            corpus.add(() -> allowed("super-user: the change feed", get("/changefeed?limit=1", superuser)));
            corpus.add(() -> allowed("super-user: the tasks", get("/tasks?limit=1", superuser)));
            assertAll(corpus);
        } finally {
            undeployQuietly();
            if (secured) {
                removeSecureDeployment();
            }
            added.forEach(this::removeProperty);
        }
    }

    @Test
    void modeOidcWithoutAProviderFailsTheDeploymentNamingTheKey() {
        try {
            setProperty("gateway.auth.mode", "oidc");
            Exception failure = assertThrows(Exception.class, () -> deployer.deploy(DEPLOYMENT));
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("configuration key 'gateway.oidc.provider-url' is missing"),
                    messages.toString());
        } finally {
            undeployQuietly();
            removeProperty("gateway.auth.mode");
        }
    }

    @Test
    void modeNoneDeploysOpenAndWarnsInTheServerLog() throws Exception {
        try {
            deployer.deploy(DEPLOYMENT);
            assertEquals(200, get("/aets", null).status());
            ModelNode read = Operations.createOperation("read-log-file",
                    Operations.createAddress("subsystem", "logging", "log-file", "server.log"));
            read.get("lines").set(2000);
            ModelNode log = management.getControllerClient().execute(read);
            assertTrue(Operations.isSuccessfulOutcome(log), log.toString());
            assertTrue(Operations.readResult(log).asList().stream().map(ModelNode::asString)
                    .anyMatch(line -> line.contains("WARN") && line.contains(
                            "gateway.auth.mode=none: authentication is OFF")), "no WARNING about mode none");
        } finally {
            undeployQuietly();
        }
    }

    private static void unauthenticated(String what, Reply reply) {
        assertEquals(401, reply.status(), what + ": " + reply.body());
        assertTrue(reply.challenge() != null && reply.challenge().startsWith("Bearer "), what + ": " + reply);
        assertEquals("a valid bearer token is needed (Authorization: Bearer <access token>)", reply.reason(), what);
    }

    private static void forbidden(String what, Reply reply, String reason) {
        assertEquals(403, reply.status(), what + ": " + reply.body());
        assertEquals(reason, reply.reason(), what);
    }

    private static void allowed(String what, Reply reply) {
        assertEquals(200, reply.status(), what + ": " + reply.body());
    }

    private static Reply get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(GATEWAY + path)).GET(), token);
    }

    private static Reply stow(String token) {
        String study = TestInstance.newUid();
        Stow.Answer answer = Stow.postAs(token, "ORTHANC", Stow.Part.dicom(TestInstance.secondaryCapture(study,
                TestInstance.newUid(), TestInstance.newUid(), "SECURED^MODE", "SECURED")));
        return new Reply(answer.status(), null, answer.body());
    }

    private static Reply postTask(String token) {
        JsonObject task = Json.createObjectBuilder().add("source", "ORTHANC").add("destination", "ORTHANC-DEST")
                .add("retrieve", Json.createObjectBuilder().add("studies", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("studyInstanceUid", TestInstance.newUid())))).build();
        return send(HttpRequest.newBuilder(URI.create(GATEWAY + "/tasks")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(task.toString())), token);
    }

    private static Reply send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException("request to the gateway failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The production line itself: gateway.cli's secure-deployment add. */
    private static String secureDeploymentLine() throws IOException {
        return Files.readAllLines(TestPeers.projectRoot().resolve("wildfly-config/gateway.cli")).stream()
                .map(String::strip).filter(line -> line.contains("secure-deployment=gateway-web.war:add(")).findFirst()
                .orElseThrow(() -> new AssertionError("gateway.cli has no secure-deployment for gateway-web.war"));
    }

    private static void jbossCli(String command) throws Exception {
        Path cli = Path.of(System.getProperty("jboss.home"), "bin", "jboss-cli.sh");
        Process process = new ProcessBuilder(cli.toString(), "-c", "--controller=127.0.0.1:9990", "--command=" + command)
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("jboss-cli did not finish within 60 s: " + command);
        }
        assertEquals(0, process.exitValue(), command + ": " + output.get(10, TimeUnit.SECONDS));
    }

    private void setProperty(String name, String value) {
        ModelNode add = Operations.createAddOperation(Operations.createAddress("system-property", name));
        add.get("value").set(value);
        execute(add);
    }

    private void removeProperty(String name) {
        execute(Operations.createRemoveOperation(Operations.createAddress("system-property", name)));
    }

    private void removeSecureDeployment() {
        execute(Operations.createRemoveOperation(Operations.createAddress("subsystem", "elytron-oidc-client",
                "secure-deployment", "gateway-web.war")));
    }

    private void execute(ModelNode operation) {
        try {
            ModelNode result = management.getControllerClient().execute(operation);
            assertTrue(Operations.isSuccessfulOutcome(result), operation + ": " + result);
        } catch (IOException e) {
            throw new IllegalStateException("management operation failed: " + operation, e);
        }
    }

    private void undeployQuietly() {
        try {
            deployer.undeploy(DEPLOYMENT);
        } catch (RuntimeException notDeployed) {
            // a failed deployment may already be gone
        }
    }
}
