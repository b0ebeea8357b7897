package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * Undeploying the EAR while a task runs (docs/jobs.md, "Stopping and redeploying"): the running attempt stops within
 * seconds instead of holding the undeploy until the task ends, its row is left SCHEDULED with the attempt not counted
 * and no owner, and after the redeploy the task resumes and delivers every instance once. The task is the
 * 500-instance study of scripts/test.sh to TASKS-S3; its rows are read in PostgreSQL while no gateway
 * is deployed. Two sources: ORTHANC (C-GET) and ORTHANC-WEB (WADO-RS of the same Orthanc).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TaskDrainIT extends GatewayDeployedOnDemand {

    private static final Path LONG_STUDY = TestPeers.projectRoot().resolve("work/samples/1x1x500");
    /**
     * Without the drain the undeploy waited for the task's end (or for Artemis to interrupt the listener after its
     * 30 s call timeout, which the task's socket reads do not notice).
     */
    private static final Duration UNDEPLOY_LIMIT = Duration.ofSeconds(15);

    private record Row(String state, int attempts, String owner, int completed, int instances) {
    }

    /** C-GET: the DIMSE device closes its associations as it stops too, which must not count as the source failing. */
    @Test
    void anUndeployStopsATaskRetrievingByCGetWhichResumesAfterTheRedeploy() throws IOException, SQLException {
        undeployInTheMiddleAndResume("ORTHANC");
    }

    /**
     * WADO-RS of Orthanc's DICOMweb plugin: nothing but the drain stops this retrieval (the upstream's HTTP client
     * stays open until the listener is gone).
     */
    @Test
    void anUndeployStopsATaskRetrievingByWadoRsWhichResumesAfterTheRedeploy() throws IOException, SQLException {
        undeployInTheMiddleAndResume("ORTHANC-WEB");
    }

    private void undeployInTheMiddleAndResume(String source) throws IOException, SQLException {
        TestPeers.start("all");
        String study;
        try (Stream<Path> studies = Files.list(LONG_STUDY)) {
            study = studies.findFirst().orElseThrow().getFileName().toString();
        }
        deployer.deploy(DEPLOYMENT);
        String taskId = "drain-" + UUID.randomUUID();
        TaskClient.submit(TaskClient.request(taskId, "b-" + taskId, source, "TASKS-S3", study, null), 201);
        TaskClient.await(taskId, task -> task.getInt("completed") > 0, new ArrayList<>());

        long asked = System.nanoTime();
        deployer.undeploy(DEPLOYMENT);
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        Row stopped = row(taskId);
        assertTrue(took.compareTo(UNDEPLOY_LIMIT) < 0, "the undeploy took " + took + "; the task: " + stopped);
        assertEquals("SCHEDULED", stopped.state(), "left to resume: " + stopped);
        assertEquals(0, stopped.attempts(), "the stopped attempt is not counted: " + stopped);
        assertNull(stopped.owner(), "its lease is released: " + stopped);
        assertTrue(stopped.completed() > 0 && stopped.completed() < 500, "stopped in the middle: " + stopped);
        assertEquals(stopped.completed(), stopped.instances(), "what it delivered is recorded: " + stopped);

        deployer.deploy(DEPLOYMENT);
        try {
            JsonObject ended = TaskClient.awaitEnd(taskId);
            assertEquals("COMPLETED", ended.getString("state"), ended.toString());
            assertEquals(500, ended.getInt("completed"), ended.toString());
            assertEquals(0, ended.getInt("failed"), ended.toString());
            assertEquals(0, ended.getInt("warning"), ended.toString());
            assertEquals(1, ended.getInt("attempts"), "the attempt after the redeploy only: " + ended);
            assertEquals(500, row(taskId).instances(), "each instance recorded once");
            Http.Reply found = Http.get(Http.GATEWAY + "/aets/TASKS-S3/studies/" + study + "/instances");
            assertEquals(200, found.status(), found.body());
            assertEquals(500, found.json().asJsonArray().size(), "TASKS-S3 holds the study");
        } finally {
            deployer.undeploy(DEPLOYMENT);
        }
    }

    /** The task's row and its task_instance rows (wildfly-config/datasource-postgresql.cli's database). */
    private static Row row(String taskId) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:15432/dicomweb_gateway",
                "gateway", "gateway");
                PreparedStatement select = db.prepareStatement("select state, attempts, owner, completed,"
                        + " (select count(*) from task_instance i where i.task_id = t.task_id) from task t"
                        + " where task_id = ?")) {
            select.setString(1, taskId);
            try (ResultSet result = select.executeQuery()) {
                assertTrue(result.next(), "no row for task " + taskId);
                return new Row(result.getString(1), result.getInt(2), result.getString(3), result.getInt(4),
                        result.getInt(5));
            }
        }
    }
}
