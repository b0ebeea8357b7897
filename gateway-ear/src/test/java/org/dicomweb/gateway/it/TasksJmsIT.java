package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.it.jmsprobe.JmsProbe;
import org.dicomweb.gateway.it.jmsprobe.TaskEventsRecorder;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The JMS side of retrieval tasks and the inference endpoint (docs/jobs.md), against WildFly's own Artemis: requests
 * on RetrieveRequests from ORTHANC to ORTHANC-DEST (the second Orthanc, delivered to by STOW-RS, checked through its own
 * DICOMweb), their TaskEvents, refused requests recorded FAILED and not redelivered, and the dead-letter path, once
 * with a message put on DeadLetter and once dead-lettered by Artemis itself (the database down for all five
 * deliveries). JMS is reached through a small probe deployment (no remote JMS user needed).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TasksJmsIT {

    private static final String PROBE = "http://127.0.0.1:8080/jms-probe";
    private static final String SOURCE = "http://127.0.0.1:18042";
    private static final String DESTINATION = "http://127.0.0.1:18043";
    private static final Duration TASK_DEADLINE = Duration.ofSeconds(120);
    private static final ModelNode MESSAGING = Operations.createAddress("subsystem", "messaging-activemq", "server",
            "default");

    @ArquillianResource
    @OperateOnDeployment("gateway")
    ManagementClient management;

    @Deployment(name = "gateway", order = 1, testable = false)
    static EnterpriseArchive ear() {
        return DeployedGateway.archive();
    }

    @Deployment(name = "jms-probe", order = 2, testable = false)
    static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, "jms-probe.war")
                .addClasses(JmsProbe.class, JmsProbe.Endpoints.class, TaskEventsRecorder.class);
    }

    /** The dead-letter test stops PostgreSQL and pauses DeadLetter; whatever happened, both come back. */
    @AfterEach
    void restore() throws IOException {
        TestPeers.start("postgres");
        execute(Operations.createOperation("resume", queue("DicomwebGatewayDeadLetter")));
    }

    @Test
    void aJmsRequestIsStoredIntoTheSecondOrthancAndItsEndIsPublished() {
        Study study = Study.smallOfSource();
        clearDestination(study.uid());
        String taskId = "jms-" + UUID.randomUUID();
        send("RetrieveRequests", "{\"taskId\":\"" + taskId + "\",\"batchId\":\"jms-batch\",\"priority\":7,"
                + "\"source\":\"ORTHANC\",\"retrieve\":{\"studies\":[{\"studyInstanceUid\":\"" + study.uid()
                + "\"}]},\"destination\":\"ORTHANC-DEST\"}", "correlationId=jms-header-correlation");

        JsonObject task = awaitEnd(taskId);
        assertEquals("COMPLETED", task.getString("state"), task.toString());
        assertEquals(study.instances().size(), task.getInt("completed"), task.toString());
        assertEquals(0, task.getInt("failed"));
        assertEquals("jms-header-correlation", task.getString("correlationId"), "the header, the body having none");
        assertEquals(7, task.getInt("priority"));
        assertEquals(study.instances(), destinationInstances(study.uid()), "in ORTHANC-DEST's own DICOMweb");

        JsonObject event = awaitEvent(taskId);
        assertEquals("COMPLETED", event.getString("property:state"));
        assertEquals("jms-header-correlation", event.getString("property:correlationId"));
        assertEquals("jms-batch", event.getString("property:batchId"));
        JsonObject body = Json.createReader(new java.io.StringReader(event.getString("body"))).readObject();
        assertEquals(taskId, body.getString("taskId"));
        assertEquals("COMPLETED", body.getString("state"));
        assertEquals(study.instances().size(), body.getInt("completed"));
    }

    @Test
    void malformedUnknownAeAndNonTextRequestsAreRecordedFailedWithTheReasonAndConsumed() throws IOException {
        String malformed = "jms-bad-" + UUID.randomUUID();
        send("RetrieveRequests", "{\"taskId\":\"" + malformed + "\",\"correlationId\":\"c-bad\",\"source\":\"ORTHANC\","
                + "\"destination\":\"ORTHANC-DEST\"}", null);
        String unknown = "jms-unknown-" + UUID.randomUUID();
        send("RetrieveRequests", "{\"taskId\":\"" + unknown + "\",\"source\":\"ORTHANC\",\"retrieve\":{\"patientId\":"
                + "\"P1\"},\"destination\":\"NOPE\"}", null);
        String bytesCorrelation = "bytes-" + UUID.randomUUID();
        send("RetrieveRequests", "{}", "kind=bytes&correlationId=" + bytesCorrelation);

        JsonObject bad = awaitEnd(malformed);
        assertEquals("FAILED", bad.getString("state"));
        assertEquals("'retrieve' must be an object (it is missing)", bad.getString("reason"));
        assertEquals("c-bad", bad.getString("correlationId"), "read from the malformed body");
        assertEquals(0, bad.getInt("attempts"), "never run");
        JsonObject noAe = awaitEnd(unknown);
        assertEquals("FAILED", noAe.getString("state"));
        assertEquals("unknown AE title 'NOPE': not listed in gateway.aets", noAe.getString("reason"));
        JsonObject bytes = await("the BytesMessage's task", () -> Http.get(Http.GATEWAY + "/tasks?state=FAILED"
                + "&limit=50").json().asJsonObject().getJsonArray("tasks").stream().map(JsonValue::asJsonObject)
                .filter(t -> bytesCorrelation.equals(t.getString("correlationId", null))).findFirst().orElse(null));
        assertEquals("a retrieve request must be a TextMessage with the request JSON, not a BytesMessage",
                bytes.getString("reason"));
        assertEquals("FAILED", awaitEvent(malformed).getString("property:state"), "announced like any end");

        // consumed: nothing left to redeliver (a redelivery waits in the queue, scheduled), nothing dead-lettered
        assertEquals(0, messages("DicomwebGatewayRetrieveRequests"));
        assertEquals(0, messages("DicomwebGatewayDeadLetter"));
    }

    @Test
    void aTaskWhoseMessageIsOnDeadLetterFailsWithTheReason() {
        Study study = Study.smallOfSource();
        String taskId = "dead-" + UUID.randomUUID();
        Http.Reply created = Http.postJson(Http.GATEWAY + "/tasks", "{\"taskId\":\"" + taskId + "\",\"source\":"
                + "\"ORTHANC\",\"retrieve\":{\"studies\":[{\"studyInstanceUid\":\"" + study.uid() + "\"}]},"
                + "\"destination\":\"ORTHANC-DEST\",\"notBefore\":\"" + Instant.now().plusSeconds(3600) + "\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("SCHEDULED", created.json().asJsonObject().getString("state"));

        send("DeadLetter", taskId, "origAddress=jms.queue.DicomwebGatewayTasks");
        JsonObject task = awaitEnd(taskId);
        assertEquals("FAILED", task.getString("state"));
        assertEquals("its message could not be delivered to DicomwebGatewayTasks within the delivery attempts of its "
                + "queue (dead-letter address)", task.getString("reason"));
        assertEquals("FAILED", awaitEvent(taskId).getString("property:state"));
    }

    /**
     * Artemis dead-letters a request itself: with the database down, each of the five deliveries to RetrieveRequests
     * fails (2+4+8+16 s apart), and the message moves to DeadLetter, paused meanwhile so that its listener waits for
     * the database too. Then the request, which never became a task, is recorded FAILED with the reason.
     */
    @Test
    void aRequestArtemisDeadLettersWhileTheDatabaseIsDownIsRecordedFailed() throws IOException {
        Study study = Study.smallOfSource();
        String taskId = "dlq-" + UUID.randomUUID();
        execute(Operations.createOperation("pause", queue("DicomwebGatewayDeadLetter")));
        TestPeers.stop("postgres");
        send("RetrieveRequests", "{\"taskId\":\"" + taskId + "\",\"source\":\"ORTHANC\",\"retrieve\":{\"studies\":"
                + "[{\"studyInstanceUid\":\"" + study.uid() + "\"}]},\"destination\":\"ORTHANC-DEST\"}", null);
        await("the request on DeadLetter", () -> {
            try {
                return messages("DicomwebGatewayDeadLetter") == 1 ? Boolean.TRUE : null;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, messages("DicomwebGatewayRetrieveRequests"), "moved, not left for redelivery");

        TestPeers.start("postgres");
        execute(Operations.createOperation("resume", queue("DicomwebGatewayDeadLetter")));
        JsonObject task = awaitEnd(taskId);
        assertEquals("FAILED", task.getString("state"));
        assertEquals("its message could not be delivered to DicomwebGatewayRetrieveRequests within the delivery "
                + "attempts of its queue (dead-letter address)", task.getString("reason"));
        assertEquals("ORTHANC-DEST", task.getString("destination"), "the request, as it was sent");
    }

    @Test
    void anInferenceRequestIsMappedOntoATaskThatCompletesAndARepeatAnswersIt() {
        Study study = Study.smallOfSource();
        clearDestination(study.uid());
        String transaction = "inference-" + UUID.randomUUID();
        String request = "{\"transactionID\":\"" + transaction + "\",\"priority\":255,\"inputMetadata\":{\"details\":"
                + "{\"type\":\"DICOM_UID\",\"studies\":[{\"StudyInstanceUID\":\"" + study.uid() + "\"}]}},"
                + "\"inputResources\":[{\"interface\":\"Algorithm\",\"connectionDetails\":{\"name\":\"ai\"}},"
                + "{\"interface\":\"DIMSE\",\"connectionDetails\":{\"name\":\"ORTHANC\"}}],"
                + "\"outputResources\":[{\"interface\":\"DICOMweb\",\"connectionDetails\":{\"name\":\"ORTHANC-DEST\","
                + "\"uri\":\"http://ignored.example/dicom-web\"}}]}";
        Http.Reply first = Http.postJson(Http.GATEWAY + "/inference", request);
        assertEquals(201, first.status(), first.body());
        JsonObject answer = first.json().asJsonObject();
        assertEquals(transaction, answer.getString("transactionID"));
        JsonObject submitted = answer.getJsonArray("tasks").getJsonObject(0);
        assertEquals(transaction + "-1", submitted.getString("taskId"));
        assertEquals(transaction, submitted.getString("batchId"));
        assertEquals(9, submitted.getInt("priority"));

        JsonObject task = awaitEnd(transaction + "-1");
        assertEquals("COMPLETED", task.getString("state"), task.toString());
        assertEquals(study.instances(), destinationInstances(study.uid()));

        Http.Reply repeat = Http.postJson(Http.GATEWAY + "/inference", request);
        assertEquals(200, repeat.status(), repeat.body());
        JsonArray tasks = repeat.json().asJsonObject().getJsonArray("tasks");
        assertEquals(1, tasks.size());
        assertEquals("COMPLETED", tasks.getJsonObject(0).getString("state"), "the existing task, not a second run");

        Http.Reply byUri = Http.postJson(Http.GATEWAY + "/inference", request.replace("\"name\":\"ORTHANC\"",
                "\"uri\":\"http://127.0.0.1:18042/dicom-web\""));
        assertEquals(400, byUri.status(), byUri.body());
        assertTrue(byUri.json().asJsonObject().getString("reason").contains("never connects to a URI"), byUri.body());
        Http.Reply unknown = Http.postJson(Http.GATEWAY + "/inference", request.replace(transaction, transaction + "x")
                .replace("ORTHANC-DEST", "NOPE"));
        assertEquals(404, unknown.status(), unknown.body());
        assertEquals(404, Http.get(Http.GATEWAY + "/tasks/" + transaction + "x-1").status(), "no task created");
    }

    /** A study of the source Orthanc small enough to deliver quickly (2 to 20 instances) and its SOP Instance UIDs. */
    record Study(String uid, Set<String> instances) {

        static Study smallOfSource() {
            for (JsonValue id : Http.get(SOURCE + "/studies").json().asJsonArray()) {
                String orthancId = ((jakarta.json.JsonString) id).getString();
                int count = Http.get(SOURCE + "/studies/" + orthancId + "/statistics").json().asJsonObject()
                        .getJsonNumber("CountInstances").intValue();
                if (count >= 2 && count <= 20) {
                    JsonObject study = Http.get(SOURCE + "/studies/" + orthancId).json().asJsonObject();
                    String uid = study.getJsonObject("MainDicomTags").getString("StudyInstanceUID");
                    Set<String> sops = Http.get(SOURCE + "/studies/" + orthancId + "/instances").json()
                            .asJsonArray().stream().map(i -> i.asJsonObject().getJsonObject("MainDicomTags")
                                    .getString("SOPInstanceUID")).collect(Collectors.toCollection(TreeSet::new));
                    return new Study(uid, sops);
                }
            }
            throw new AssertionError("no study of 2 to 20 instances in the source Orthanc (scripts/test.sh loads them)");
        }
    }

    /** Deletes the study from the second Orthanc (its REST API), so that what a test finds there was delivered now. */
    private static void clearDestination(String studyUid) {
        Http.Reply found = Http.send("POST", DESTINATION + "/tools/lookup", "text/plain", studyUid);
        assertEquals(200, found.status(), found.body());
        for (JsonValue match : found.json().asJsonArray()) {
            if (match.asJsonObject().getString("Type").equals("Study")) {
                String id = match.asJsonObject().getString("ID");
                assertEquals(200, Http.send("DELETE", DESTINATION + "/studies/" + id, null, null).status());
            }
        }
        assertEquals(Set.of(), destinationInstances(studyUid));
    }

    /** The study's SOP Instance UIDs as the second Orthanc's DICOMweb lists them (none: empty). */
    private static Set<String> destinationInstances(String studyUid) {
        Http.Reply reply = Http.get(DESTINATION + "/dicom-web/studies/" + studyUid + "/instances");
        if (reply.status() == 204 || reply.status() == 404 || reply.body().isBlank()) {
            return Set.of();
        }
        assertEquals(200, reply.status(), reply.body());
        return reply.json().asJsonArray().stream().map(i -> i.asJsonObject().getJsonObject("00080018")
                .getJsonArray("Value").getString(0)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void send(String queue, String body, String query) {
        Http.Reply sent = Http.send("POST", PROBE + "/queues/" + queue + (query != null ? "?" + query : ""),
                "text/plain", body);
        assertEquals(200, sent.status(), sent.body());
    }

    /** The task once it ended (a 404 while its request is still on its way). */
    private static JsonObject awaitEnd(String taskId) {
        return await("task " + taskId + " to end", () -> {
            Http.Reply reply = Http.get(Http.GATEWAY + "/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8));
            if (reply.status() == 404) {
                return null;
            }
            assertEquals(200, reply.status(), reply.body());
            JsonObject task = reply.json().asJsonObject();
            return Set.of("COMPLETED", "WARNING", "FAILED", "CANCELED").contains(task.getString("state")) ? task : null;
        });
    }

    private static JsonObject awaitEvent(String taskId) {
        return await("the TaskEvents message of " + taskId, () -> {
            JsonArray events = Http.get(PROBE + "/events?taskId=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8))
                    .json().asJsonArray();
            assertTrue(events.size() <= 1, "one event per end: " + events);
            return events.isEmpty() ? null : events.getJsonObject(0);
        });
    }

    private static <T> T await(String what, Supplier<T> poll) {
        return Poll.until(TASK_DEADLINE, Duration.ofMillis(250), poll,
                () -> "waited " + TASK_DEADLINE.toSeconds() + " s for " + what);
    }

    private static ModelNode queue(String name) {
        ModelNode address = MESSAGING.clone();
        address.add("jms-queue", name);
        return address;
    }

    /** The messages on a queue, those scheduled (a delayed redelivery) included. */
    private long messages(String queue) throws IOException {
        ModelNode read = Operations.createReadAttributeOperation(queue(queue), "message-count");
        read.get("include-runtime").set(true);
        return execute(read).asLong();
    }

    private ModelNode execute(ModelNode operation) throws IOException {
        ModelNode result = management.getControllerClient().execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), operation + ": " + result);
        assertNotNull(result);
        return Operations.readResult(result);
    }
}
