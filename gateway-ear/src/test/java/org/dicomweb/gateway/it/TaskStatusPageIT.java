package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tasks status page in Debian's headless Chromium against real tasks: a study from Orthanc into the S3 AE
 * (COMPLETED), a study Orthanc does not hold (FAILED), two instances of which Orthanc holds one (WARNING, one failed
 * instance), and one not due for an hour (SCHEDULED) whose taskId is markup. The page, opened once while the tasks
 * are still running and refreshing on its own, must show each state, the completed one's bar at 100 %, the failed
 * one's reason as the REST API gives it, the failed instance (folded, unfolded by a click, still unfolded after a
 * refresh), the hostile taskId as text (no element made of it, no script run), and a click on the scheduled one's
 * Cancel must make it CANCELED in the REST API and on the page. Then: the filters of the page's URL, and no polling
 * while the page is hidden.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TaskStatusPageIT extends DeployedGatewayAndPeers {

    private static final String PAGE = Http.GATEWAY + "/status/tasks";
    private static final Duration TASK_DEADLINE = Duration.ofSeconds(120);
    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(20);
    private static final String POLLS = "performance.getEntriesByType('resource')"
            + ".filter(e => new URL(e.name).pathname === '/dicomweb/tasks').length";

    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void theFilesAreServedWithTheirTypesAndNotCached() {
        Http.Reply html = Http.get(PAGE);
        assertEquals(200, html.status(), html.body());
        assertEquals("text/html;charset=UTF-8", html.contentType().replace(" ", ""));
        assertTrue(html.body().contains("<script src=\"tasks.js\""), html.body());
        assertEquals("text/javascript;charset=UTF-8", Http.get(PAGE + ".js").contentType().replace(" ", ""));
        assertEquals("text/css;charset=UTF-8", Http.get(PAGE + ".css").contentType().replace(" ", ""));
        HttpResponse<byte[]> headers = Http.getBytes(PAGE);
        assertTrue(headers.headers().firstValue("Cache-Control").orElse("").contains("no-store"), headers.headers()
                .toString());
        assertTrue(headers.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"),
                headers.headers().toString());
        Http.Reply unknown = Http.get(Http.GATEWAY + "/status/tasks.html");
        assertEquals(404, unknown.status(), "only the listed files: " + unknown.body());
        assertTrue(unknown.body().contains("/status/tasks"), unknown.body());
    }

    @Test
    void showsRealTasksAndCancelsTheScheduledOne() throws Exception {
        String batch = "status-page-it-" + UUID.randomUUID();
        String study = SampleStudies.studies().get(0);
        int instances = SampleStudies.instances(study).size();
        String series = SampleStudies.series(study).get(0);
        String missing = TestInstance.newUid();
        String completed = submit(batch, "page-done-" + UUID.randomUUID(), target(study), null);
        String failed = submit(batch, "page-failed-" + UUID.randomUUID(), target(unknownStudy()), null);
        String warning = submit(batch, "page-warning-" + UUID.randomUUID(), target(study).add("seriesInstanceUid",
                series).add("sopInstanceUids", Json.createArrayBuilder().add(SampleStudies.instances(study, series)
                .get(0)).add(missing)), null);
        // (a taskId is at most 64 characters)
        String scheduled = submit(batch, "\"><img src=x onerror=window.pwned=1>" + UUID.randomUUID().toString()
                .substring(0, 13), target(study), Instant.now().plus(Duration.ofHours(1)));

        chromium.open(PAGE + "?batchId=" + query(batch));
        chromium.waitUntil("the four tasks of the batch are listed",
                "document.querySelectorAll('article.task').length === 4", PAGE_DEADLINE);
        // Opened once: the states below come from the page's own refreshing.
        waitForState(completed, "COMPLETED");
        assertEquals(JsonValue.TRUE, chromium.evaluate(task(completed) + ".querySelector('.progress').dataset.percent"
                + " === '100'"), "the completed task's bar");
        assertEquals(instances + " of " + instances + " (100 %)", text(completed, ".progress-text"));
        assertEquals(String.valueOf(instances), text(completed, ".count-completed"));
        assertEquals("ORTHANC → S3", text(completed, ".source") + " → " + text(completed, ".destination"));

        waitForState(failed, "FAILED");
        String reason = TaskClient.task(failed).getString("reason");
        assertFalse(reason.isBlank());
        assertEquals(reason, text(failed, ".reason"), "the failed task's reason as the REST API gives it");

        waitForState(warning, "WARNING");
        assertEquals("2 of 2 (100 %)", text(warning, ".progress-text"), "one delivered, one failed: all done");
        assertEquals("1", text(warning, ".count-completed"));
        assertEquals("1", text(warning, ".count-failed"));
        assertEquals("1 failed instance", text(warning, "details.failures summary"));
        String failures = task(warning) + ".querySelector('details.failures')";
        assertEquals(JsonValue.FALSE, chromium.evaluate(failures + ".open"), "the failed instances start folded");
        chromium.click(failures + ".querySelector('summary')");
        assertEquals(JsonValue.TRUE, chromium.evaluate(failures + ".open"), "a click unfolds them");
        int polled = polls();
        chromium.waitUntil("the page polls again", POLLS + " > " + polled, PAGE_DEADLINE);
        assertEquals(JsonValue.TRUE, chromium.evaluate(failures + ".open"), "unfolded across a refresh");
        JsonObject failure = TaskClient.task(warning).getJsonArray("failures").getJsonObject(0);
        assertEquals(missing, failure.getString("sopInstanceUid"));
        assertEquals(missing + ": " + failure.getString("reason"), text(warning, "details.failures li"));

        assertEquals("SCHEDULED", TaskClient.task(scheduled).getString("state"));
        assertEquals("SCHEDULED", text(scheduled, ".state"));
        assertEquals(scheduled, text(scheduled, ".task-id"), "the hostile taskId, as text");
        assertEquals(JsonValue.TRUE, chromium.evaluate("document.querySelector('#tasks img') === null"
                + " && window.pwned === undefined"), "no markup made of server data");
        assertEquals(JsonValue.TRUE, chromium.evaluate(task(completed) + ".querySelector('button.cancel') === null"),
                "an ended task has no Cancel");
        assertEquals(JsonValue.TRUE, chromium.evaluate("performance.getEntriesByType('resource')"
                + ".every(e => new URL(e.name).origin === location.origin)"), "nothing loaded from elsewhere");

        chromium.click(task(scheduled) + ".querySelector('button.cancel')");
        awaitRestState(scheduled, "CANCELED");
        waitForState(scheduled, "CANCELED");
        assertEquals(JsonValue.TRUE, chromium.evaluate(task(scheduled) + ".querySelector('button.cancel') === null"));

        chromium.open(PAGE + "?state=FAILED&batchId=" + query(batch));
        chromium.waitUntil("only the failed task is listed", "document.querySelectorAll('article.task').length === 1"
                + " && " + task(failed) + " !== null", PAGE_DEADLINE);
        assertEquals(Json.createValue("FAILED"), chromium.evaluate("document.getElementById('state').value"),
                "the filter is taken from the page's URL");

        chromium.waitUntil("the page polls GET /tasks on its own", POLLS + " >= 2", PAGE_DEADLINE);
        chromium.hide();
        Thread.sleep(1000); // a poll under way when the page was hidden may still finish
        int hidden = polls();
        Thread.sleep(3 * 2000 + 500);
        assertEquals(hidden, polls(), "a hidden page does not poll");
    }

    /** How many times the page has asked GET /tasks since it was loaded. */
    private static int polls() {
        return ((JsonNumber) chromium.evaluate(POLLS)).intValue();
    }

    /** The task's element on the page, found by its id (which may hold any printable character). */
    private static String task(String taskId) {
        return "document.querySelector('article.task[data-task-id=\"' + CSS.escape(" + Json.createValue(taskId)
                + ") + '\"]')";
    }

    private static String text(String taskId, String selector) {
        JsonValue value = chromium.evaluate("(() => { const e = " + task(taskId) + "; const part = e && "
                + "e.querySelector(" + Json.createValue(selector) + "); return part ? part.textContent : null; })()");
        if (!(value instanceof JsonString shown)) {
            throw new AssertionError(selector + " of " + taskId + " is not shown");
        }
        return shown.getString();
    }

    private static void waitForState(String taskId, String state) {
        try {
            chromium.waitUntil(taskId + " is shown " + state, "(() => { const e = " + task(taskId)
                    + "; return e !== null && e.dataset.state === '" + state + "'; })()", TASK_DEADLINE);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the REST API has " + TaskClient.task(taskId), e);
        }
    }

    private static void awaitRestState(String taskId, String state) {
        TaskClient.await(taskId, task -> task.getString("state").equals(state), new ArrayList<>(), PAGE_DEADLINE);
    }

    private static JsonObjectBuilder target(String study) {
        return Json.createObjectBuilder().add("studyInstanceUid", study);
    }

    /** POST /tasks: one target from ORTHANC to S3, in the batch; returns the taskId. */
    private static String submit(String batch, String taskId, JsonObjectBuilder target, Instant notBefore) {
        var request = Json.createObjectBuilder().add("taskId", taskId).add("batchId", batch).add("source", "ORTHANC")
                .add("retrieve", Json.createObjectBuilder().add("studies", Json.createArrayBuilder().add(target)))
                .add("destination", "S3");
        if (notBefore != null) {
            request.add("notBefore", notBefore.toString());
        }
        TaskClient.submit(request.build(), 201);
        return taskId;
    }

    private static String unknownStudy() {
        return "1.2.826.0.1.3680043.10.1137.15." + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
