package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * Retrieval tasks through {@code /tasks}, with the built EAR in WildFly (its Artemis, the PostgreSQL task rows) against
 * the real Orthanc as the source and dcmqrscp (C-STORE), S3Proxy (the TASKS-S3 AE of test-tasks.cli) and a port
 * nothing listens on (TASKS-DOWN) as destinations; what arrived is checked through the destination's own QIDO-RS and
 * WADO-RS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TasksIT extends DeployedGatewayAndPeers {

    /** The 500-instance study scripts/test.sh loads into Orthanc: long enough to cancel in the middle. */
    private static final Path LONG_STUDY = TestPeers.projectRoot().resolve("work/samples/1x1x500");

    @TempDir
    static Path work;

    private static String newId() {
        return "it-" + UUID.randomUUID();
    }

    /** A new 5-instance study stored into Orthanc (through the gateway); returns its UID and its instances. */
    private static Study newStudyInOrthanc(String name) {
        Path directory = work.resolve(name);
        TestPeers.run("java", "-cp", "/usr/share/java/pixelmed.jar",
                TestPeers.projectRoot().resolve("scripts/GenerateStudies.java").toString(), directory.toString(), "1",
                "1", "5");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Stow.Answer stored = Stow.post("ORTHANC", files.stream().map(f -> {
            try {
                return Stow.Part.dicom(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toArray(Stow.Part[]::new));
        assertEquals(200, stored.status(), stored.body());
        return new Study(files.get(0).getParent().getParent().getFileName().toString(),
                files.stream().map(f -> f.getFileName().toString().replace(".dcm", ""))
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    private record Study(String uid, Set<String> instances) {
    }

    /** The SOP Instance UIDs a QIDO-RS search of the study's instances finds at the AE. */
    private static Set<String> foundAt(String aet, String study) {
        Http.Reply reply = Http.get(Http.GATEWAY + "/aets/" + aet + "/studies/" + study + "/instances");
        assertEquals(200, reply.status(), aet + ": " + reply.body());
        return reply.json().asJsonArray().stream()
                .map(match -> match.asJsonObject().getJsonObject("00080018").getJsonArray("Value").getString(0))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertCompleted(JsonObject task, int instances) {
        assertEquals("COMPLETED", task.getString("state"), task.toString());
        assertEquals(instances, task.getInt("completed"), task.toString());
        assertEquals(0, task.getInt("failed"), task.toString());
        assertEquals(0, task.getInt("warning"), task.toString());
        assertEquals(0, task.getInt("remaining"), task.toString());
        assertEquals(1, task.getInt("attempts"), task.toString());
        assertTrue(task.containsKey("startedAt") && task.containsKey("endedAt"), task.toString());
    }

    /**
     * Through the gateway: ORTHANC-MOVE (the same Orthanc, retrieved by C-MOVE into the gateway's SCP) cannot move
     * straight to DCMQRSCP (no move-destinations), so each instance is C-STOREd on as it arrives.
     */
    @Test
    void aStudyGoesFromOrthancToDcmqrscpByCStore() {
        Study study = newStudyInOrthanc("to-dcmqrscp");
        String taskId = newId();
        JsonObject created = TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC-MOVE", "DCMQRSCP",
                study.uid(), null), 201);
        assertEquals(taskId, created.getString("taskId"));
        assertEquals("SCHEDULED", created.getString("state"));

        JsonObject ended = TaskClient.awaitEnd(taskId);
        assertCompleted(ended, 5);
        assertEquals("store", ended.getString("method"));
        assertEquals(study.instances(), foundAt("DCMQRSCP", study.uid()), "dcmqrscp holds every instance");
    }

    /** ORTHANC lists DCMQRSCP in its move-destinations: Orthanc sends the study there itself, by C-MOVE. */
    @Test
    void aStudyMovesFromOrthancStraightToDcmqrscp() {
        Study study = newStudyInOrthanc("move-to-dcmqrscp");
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "DCMQRSCP", study.uid(), null), 201);

        JsonObject ended = TaskClient.awaitEnd(taskId);
        assertCompleted(ended, 5);
        assertEquals("move", ended.getString("method"));
        assertEquals(study.instances(), foundAt("DCMQRSCP", study.uid()), "dcmqrscp holds every instance");
    }

    @Test
    void aStudyGoesFromOrthancToS3() {
        Study study = newStudyInOrthanc("to-s3");
        String taskId = newId();
        Http.Reply reply = TaskClient.post("/tasks",
                TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", study.uid(), null).toString());
        assertEquals(201, reply.status(), reply.body());

        assertCompleted(TaskClient.awaitEnd(taskId), 5);
        assertEquals(study.instances(), foundAt("TASKS-S3", study.uid()), "the S3 index holds every instance");
        HttpResponse<byte[]> back = Http.getBytes(Http.GATEWAY + "/aets/TASKS-S3/studies/" + study.uid(),
                "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertEquals(200, back.statusCode());
        assertEquals(5, Multipart.parts(back.body(),
                Multipart.boundary(back.headers().firstValue("Content-Type").orElseThrow())).size(),
                "WADO-RS of the S3 AE returns every instance");
    }

    @Test
    void aRepeatedTaskIdIsTheSameTaskRunOnce() {
        String study = SampleStudies.studies().get(0);
        String taskId = newId();
        String batch = "b-" + taskId;
        JsonObject request = TaskClient.request(taskId, batch, "ORTHANC", "TASKS-S3", study, null);
        JsonObject first = TaskClient.submit(request, 201);
        JsonObject again = TaskClient.submit(request, 200);
        assertEquals(first.getString("createdAt"), again.getString("createdAt"), "the same task");

        assertCompleted(TaskClient.awaitEnd(taskId), SampleStudies.instances(study).size());
        TaskClient.submit(request, 200);
        JsonObject page = Http.get(Http.GATEWAY + "/tasks?batchId=" + batch).json().asJsonObject();
        assertEquals(1, page.getInt("total"), page.toString());
        assertEquals(1, page.getJsonArray("tasks").getJsonObject(0).getInt("attempts"), "run once");
    }

    @Test
    void concurrentRepeatsMakeOneTask() throws Exception {
        String taskId = newId();
        String batch = "b-" + taskId;
        String body = TaskClient.request(taskId, batch, "ORTHANC", "TASKS-S3", SampleStudies.studies().get(0),
                Instant.now().plus(Duration.ofHours(1))).toString();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(clients.submit(() -> TaskClient.post("/tasks", body).status()));
            }
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, answered.stream().filter(s -> s == 201).count(), "one created it: " + answered);
            assertEquals(7, answered.stream().filter(s -> s == 200).count(), "the others found it: " + answered);
        } finally {
            clients.shutdownNow();
        }
        assertEquals(1, Http.get(Http.GATEWAY + "/tasks?batchId=" + batch).json().asJsonObject().getInt("total"));
        assertEquals(200, TaskClient.post("/tasks/" + taskId + "/cancel", "").status());
    }

    @Test
    void tasksAreListedNewestFirstByPage() {
        String batch = "b-" + newId();
        Instant later = Instant.now().plus(Duration.ofHours(1));
        String study = SampleStudies.studies().get(0);
        String older = newId();
        String newer = newId();
        TaskClient.submit(TaskClient.request(older, batch, "ORTHANC", "TASKS-S3", study, later), 201);
        TaskClient.submit(TaskClient.request(newer, batch, "ORTHANC", "TASKS-S3", study, later), 201);

        JsonObject page = Http.get(Http.GATEWAY + "/tasks?batchId=" + batch + "&limit=1&state=SCHEDULED").json()
                .asJsonObject();
        assertEquals(2, page.getInt("total"), page.toString());
        assertEquals(1, page.getInt("limit"));
        JsonArray tasks = page.getJsonArray("tasks");
        assertEquals(List.of(newer), tasks.stream().map(t -> t.asJsonObject().getString("taskId")).toList());
        JsonObject second = Http.get(Http.GATEWAY + "/tasks?batchId=" + batch + "&limit=1&offset=1").json()
                .asJsonObject();
        assertEquals(older, second.getJsonArray("tasks").getJsonObject(0).getString("taskId"));
        assertEquals(0, Http.get(Http.GATEWAY + "/tasks?batchId=" + batch + "&aet=DCMQRSCP").json().asJsonObject()
                .getInt("total"), "neither task names DCMQRSCP");
        TaskClient.post("/tasks/" + older + "/cancel", "");
        TaskClient.post("/tasks/" + newer + "/cancel", "");
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        Http.Reply notJson = TaskClient.post("/tasks", "{not json");
        assertEquals(400, notJson.status(), notJson.body());
        assertTrue(notJson.json().asJsonObject().getString("reason").contains("not JSON"), notJson.body());

        String study = SampleStudies.studies().get(0);
        Http.Reply unknownAe = TaskClient.post("/tasks",
                TaskClient.request(newId(), "b", "NO-SUCH-AE", "TASKS-S3", study, null).toString());
        assertEquals(404, unknownAe.status(), unknownAe.body());
        assertTrue(unknownAe.json().asJsonObject().getString("reason").contains("NO-SUCH-AE"), unknownAe.body());

        Http.Reply same = TaskClient.post("/tasks",
                TaskClient.request(newId(), "b", "ORTHANC", "ORTHANC", study, null).toString());
        assertEquals(400, same.status(), same.body());

        Http.Reply badState = Http.get(Http.GATEWAY + "/tasks?state=DONE");
        assertEquals(400, badState.status(), badState.body());
        assertTrue(badState.json().asJsonObject().getString("reason").startsWith("'state'"), badState.body());

        assertEquals(404, Http.get(Http.GATEWAY + "/tasks/no-such-task").status());
        assertEquals(404, TaskClient.post("/tasks/no-such-task/cancel", "").status());
        assertEquals(404, TaskClient.post("/tasks/no-such-task/reschedule", "").status());
    }

    @Test
    void aScheduledTaskIsCanceledAtOnceAndRunsWhenRescheduled() {
        String study = SampleStudies.studies().get(1);
        String taskId = newId();
        Instant notBefore = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonObject created = TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3",
                study, notBefore), 201);
        assertEquals(notBefore.toString(), created.getString("scheduledAt"));
        assertEquals(409, TaskClient.post("/tasks/" + taskId + "/reschedule", "").status(),
                "a task that has not ended is not rescheduled");

        Http.Reply canceled = TaskClient.post("/tasks/" + taskId + "/cancel", "");
        assertEquals(200, canceled.status(), canceled.body());
        assertEquals("CANCELED", canceled.json().asJsonObject().getString("state"));
        assertEquals(0, canceled.json().asJsonObject().getInt("attempts"), "it never ran");
        Http.Reply again = TaskClient.post("/tasks/" + taskId + "/cancel", "");
        assertEquals(409, again.status(), again.body());

        Http.Reply rescheduled = TaskClient.post("/tasks/" + taskId + "/reschedule", "");
        assertEquals(200, rescheduled.status(), rescheduled.body());
        assertEquals("SCHEDULED", rescheduled.json().asJsonObject().getString("state"));
        assertCompleted(TaskClient.awaitEnd(taskId), SampleStudies.instances(study).size());
    }

    @Test
    void aCompletedTaskRescheduledRunsAgainWithItsCountsFromZero() {
        String study = SampleStudies.studies().get(0);
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", study, null), 201);
        JsonObject first = TaskClient.awaitEnd(taskId);
        assertCompleted(first, SampleStudies.instances(study).size());

        Http.Reply rescheduled = TaskClient.post("/tasks/" + taskId + "/reschedule", "");
        assertEquals(200, rescheduled.status(), rescheduled.body());
        assertEquals(0, rescheduled.json().asJsonObject().getInt("completed"), rescheduled.body());
        JsonObject second = TaskClient.awaitEnd(taskId);
        assertCompleted(second, SampleStudies.instances(study).size());
        assertNotEquals(first.getString("endedAt"), second.getString("endedAt"));
    }

    @Test
    void aRunningTaskStopsWhenCanceled() throws IOException {
        String study;
        try (Stream<Path> studies = Files.list(LONG_STUDY)) {
            study = studies.findFirst().orElseThrow().getFileName().toString();
        }
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", study, null), 201);
        TaskClient.await(taskId, task -> task.getInt("completed") > 0, new ArrayList<>());

        Http.Reply cancel = TaskClient.post("/tasks/" + taskId + "/cancel", "");
        assertEquals(200, cancel.status(), cancel.body());
        Instant asked = Instant.now();
        JsonObject ended = TaskClient.awaitEnd(taskId);
        assertEquals("CANCELED", ended.getString("state"), ended.toString());
        assertTrue(Duration.between(asked, Instant.now()).toSeconds() < 10, "stopped within seconds: " + ended);
        assertTrue(ended.getInt("completed") < 500, "stopped before the end: " + ended);
        assertTrue(ended.getInt("completed") > 0, "keeps the count of what was delivered: " + ended);
    }

    @Test
    void aDestinationThatIsDownIsRetriedThenFails() {
        String study = SampleStudies.studies().get(0);
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-DOWN", study, null), 201);
        List<JsonObject> seen = new ArrayList<>();
        JsonObject ended = TaskClient.awaitEnd(taskId, seen);

        assertEquals("FAILED", ended.getString("state"), ended.toString());
        assertEquals(3, ended.getInt("attempts"), "gateway.tasks.max-attempts of test-tasks.cli: " + ended);
        assertTrue(ended.getString("reason").startsWith("failed after 3 attempts: "), ended.toString());
        assertTrue(ended.getString("reason").contains("TASKS-DOWN"), "names the destination: " + ended);
        JsonObject retry = seen.stream().filter(t -> t.getString("state").equals("SCHEDULED_FOR_RETRY")).findFirst()
                .orElseThrow(() -> new AssertionError("never seen SCHEDULED_FOR_RETRY: " + seen));
        assertTrue(retry.getString("reason").startsWith("attempt "), retry.toString());
        assertTrue(Instant.parse(retry.getString("scheduledAt")).isAfter(Instant.parse(retry.getString("createdAt"))),
                "a retry is due later: " + retry);
    }

    /** The task rows in the test database (wildfly-config/datasource-postgresql.cli's defaults). */
    private static int updateRow(String sql, String taskId) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway",
                "gateway", "gateway"); PreparedStatement update = db.prepareStatement(sql)) {
            update.setString(1, taskId);
            return update.executeUpdate();
        }
    }

    @Test
    void aDueTaskWhoseMessageIsLostIsRunByTheSweeper() throws SQLException {
        String study = SampleStudies.studies().get(1);
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", study,
                Instant.now().plus(Duration.ofHours(1))), 201);
        // due now, its only message still an hour away, and that message sent longer ago than the lease (60 s)
        assertEquals(1, updateRow("update task set scheduled_at = now() - interval '1 minute',"
                + " queued_at = now() - interval '2 minutes' where task_id = ?", taskId));
        Instant lost = Instant.now();
        assertCompleted(TaskClient.awaitEnd(taskId), SampleStudies.instances(study).size());
        assertTrue(Duration.between(lost, Instant.now()).toSeconds() < 30, "the sweeper runs every 10 s");
    }

    @Test
    void aRunningTaskWhoseWorkerIsGoneIsTakenOver() throws SQLException {
        String study = SampleStudies.studies().get(1);
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", study,
                Instant.now().plus(Duration.ofHours(1))), 201);
        // as a worker of another node leaves it when that node dies: IN_PROCESS, its last heartbeat 2 minutes ago
        assertEquals(1, updateRow("update task set state = 'IN_PROCESS', owner = 'a-node-that-died/1',"
                + " attempts = 1, started_at = now() - interval '3 minutes',"
                + " heartbeat_at = now() - interval '2 minutes', queued_at = null where task_id = ?", taskId));
        JsonObject ended = TaskClient.awaitEnd(taskId);
        assertEquals("COMPLETED", ended.getString("state"), ended.toString());
        assertEquals(2, ended.getInt("attempts"), "the takeover is the second attempt: " + ended);
        assertEquals(SampleStudies.instances(study).size(), ended.getInt("completed"), ended.toString());
    }

    @Test
    void anUnknownStudyFailsAtOnce() {
        String missing = TestInstance.newUid();
        String taskId = newId();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, "ORTHANC", "TASKS-S3", missing, null), 201);
        List<JsonObject> seen = new ArrayList<>();
        JsonObject ended = TaskClient.awaitEnd(taskId, seen);

        assertEquals("FAILED", ended.getString("state"), ended.toString());
        assertEquals(1, ended.getInt("attempts"), "not retried: " + ended);
        assertTrue(ended.getString("reason").contains(missing), "names the study: " + ended);
        assertFalse(seen.stream().anyMatch(t -> t.getString("state").equals("SCHEDULED_FOR_RETRY")), seen.toString());
        assertEquals(List.of(), ended.getJsonArray("failures").stream().map(JsonValue::toString).toList());
    }
}
