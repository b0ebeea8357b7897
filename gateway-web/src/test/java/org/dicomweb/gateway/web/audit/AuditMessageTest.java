package org.dicomweb.gateway.web.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.access.RequestTarget;
import org.dicomweb.gateway.access.Service;
import org.dicomweb.gateway.web.observe.ObservedRequest;

class AuditMessageTest {

    private static final Instant START = Instant.parse("2026-12-01T19:30:05.123Z");

    private static ObservedRequest event(String method, String path, String query, RequestTarget target, int status,
            boolean cutOff, int instances, int matches, List<String> stored) {
        return event(method, path, query, target, false, status, cutOff, instances, matches, stored);
    }

    private static ObservedRequest event(String method, String path, String query, RequestTarget target,
            boolean preflight, int status, boolean cutOff, int instances, int matches, List<String> stored) {
        return new ObservedRequest(START, 42_000_000, "alice", "10.0.0.7", "http://gw:8080/dicomweb", "10.0.0.1",
                method, path, query, target, preflight, status, cutOff, 10, 2000, instances, matches, stored);
    }

    private static JsonObject message(ObservedRequest request) {
        return AuditMessage.of(request, "gw-1");
    }

    private static JsonObject code(String code, String system, String text) {
        return new AuditCodes.Code(code, system, text).json();
    }

    @Test
    void aRetrievalIsInstancesTransferredReadByTheClientWithItsStudyAndCounts() {
        JsonObject m = message(event("GET", "/aets/ORTHANC/studies/1.2.3/series/1.2.3.4", null,
                new RequestTarget(Service.WADO, "ORTHANC", "1.2.3", "1.2.3.4", null), 200, false, 5, -1, List.of()));

        JsonObject id = m.getJsonObject("EventIdentification");
        assertEquals(code("110104", "DCM", "DICOM Instances Transferred"), id.getJsonObject("EventID"));
        assertEquals("R", id.getString("EventActionCode"));
        assertEquals("2026-12-01T19:30:05.123Z", id.getString("EventDateTime"));
        assertEquals(0, id.getInt("EventOutcomeIndicator"));
        assertEquals(code("WADO", "DICOMWEB-GATEWAY", "WADO"), id.getJsonArray("EventTypeCode").getJsonObject(0));

        JsonArray participants = m.getJsonArray("ActiveParticipant");
        JsonObject client = participants.getJsonObject(0);
        assertEquals("alice", client.getString("UserID"));
        assertTrue(client.getBoolean("UserIsRequestor"));
        assertEquals("10.0.0.7", client.getString("NetworkAccessPointID"));
        assertEquals("2", client.getString("NetworkAccessPointTypeCode"));
        assertEquals(code("110152", "DCM", "Destination Role ID"), client.getJsonArray("RoleIDCode").getJsonObject(0));
        JsonObject gateway = participants.getJsonObject(1);
        assertEquals("http://gw:8080/dicomweb", gateway.getString("UserID"));
        assertFalse(gateway.getBoolean("UserIsRequestor"));
        assertEquals("10.0.0.1", gateway.getString("NetworkAccessPointID"));
        assertEquals(code("110153", "DCM", "Source Role ID"), gateway.getJsonArray("RoleIDCode").getJsonObject(0));

        assertEquals("gw-1", m.getJsonObject("AuditSourceIdentification").getString("AuditSourceID"));

        JsonArray objects = m.getJsonArray("ParticipantObjectIdentification");
        assertEquals(1, objects.size());
        JsonObject study = objects.getJsonObject(0);
        assertEquals("1.2.3", study.getString("ParticipantObjectID"));
        assertEquals(2, study.getInt("ParticipantObjectTypeCode"));
        assertEquals(3, study.getInt("ParticipantObjectTypeCodeRole"));
        assertEquals(code("110180", "DCM", "Study Instance UID"), study.getJsonObject("ParticipantObjectIDTypeCode"));

        JsonObject request = m.getJsonObject("Request");
        assertEquals("GET", request.getString("method"));
        assertEquals("/aets/ORTHANC/studies/1.2.3/series/1.2.3.4", request.getString("path"));
        assertEquals("WADO", request.getString("service"));
        assertEquals("ORTHANC", request.getString("aet"));
        assertEquals("1.2.3", request.getString("study"));
        assertEquals("1.2.3.4", request.getString("series"));
        assertFalse(request.containsKey("instance"));
        assertEquals(200, request.getInt("status"));
        assertEquals(42, request.getInt("durationMs"));
        assertEquals(10, request.getInt("bytesIn"));
        assertEquals(2000, request.getInt("bytesOut"));
        assertEquals(5, request.getInt("instances"));
        assertFalse(request.containsKey("matches"));
        assertFalse(request.containsKey("cutOff"));
    }

    @Test
    void aSearchIsAQueryExecutedWithItsQueryBase64AndNoStudyOfItsOwn() {
        JsonObject m = message(event("GET", "/aets/ORTHANC/studies", "PatientName=DOE*&limit=10",
                new RequestTarget(Service.QIDO, "ORTHANC", null, null, null), 200, false, -1, 3, List.of()));

        JsonObject id = m.getJsonObject("EventIdentification");
        assertEquals(code("110112", "DCM", "Query"), id.getJsonObject("EventID"));
        assertEquals("E", id.getString("EventActionCode"));
        assertEquals(code("110153", "DCM", "Source Role ID"),
                m.getJsonArray("ActiveParticipant").getJsonObject(0).getJsonArray("RoleIDCode").getJsonObject(0));
        JsonArray objects = m.getJsonArray("ParticipantObjectIdentification");
        assertEquals(1, objects.size());
        JsonObject query = objects.getJsonObject(0);
        assertEquals(code("110181", "DCM", "SOP Class UID"), query.getJsonObject("ParticipantObjectIDTypeCode"));
        assertEquals(AuditMessage.STUDY_ROOT_FIND, query.getString("ParticipantObjectID"));
        assertEquals("/aets/ORTHANC/studies?PatientName=DOE*&limit=10", new String(
                Base64.getDecoder().decode(query.getString("ParticipantObjectQuery")), StandardCharsets.UTF_8));
        assertEquals(3, m.getJsonObject("Request").getInt("matches"));
        assertFalse(m.getJsonObject("Request").containsKey("instances"));
    }

    @Test
    void aStoreIsInstancesTransferredCreatedWithThePathsStudyAndEachStoredOnce() {
        JsonObject m = message(event("POST", "/aets/S3/studies/1.2.3", null,
                new RequestTarget(Service.STOW, "S3", "1.2.3", null, null), 202, false, 2, -1,
                List.of("1.2.3", "9.8.7")));

        JsonObject id = m.getJsonObject("EventIdentification");
        assertEquals(code("110104", "DCM", "DICOM Instances Transferred"), id.getJsonObject("EventID"));
        assertEquals("C", id.getString("EventActionCode"));
        assertEquals(4, id.getInt("EventOutcomeIndicator"), "202: some instances failed");
        assertEquals(code("110153", "DCM", "Source Role ID"),
                m.getJsonArray("ActiveParticipant").getJsonObject(0).getJsonArray("RoleIDCode").getJsonObject(0));
        JsonArray objects = m.getJsonArray("ParticipantObjectIdentification");
        assertEquals(List.of("1.2.3", "9.8.7"), objects.stream()
                .map(o -> o.asJsonObject().getString("ParticipantObjectID")).toList());
        assertEquals(2, m.getJsonObject("Request").getInt("instances"));
    }

    @Test
    void theOutcomeFollowsTheStatusAndACutOffBodyIsAMajorFailure() {
        assertEquals(0, outcome(Service.WADO, 200, false));
        assertEquals(0, outcome(Service.QIDO, 204, false));
        assertEquals(0, outcome(Service.REINDEX, 202, false), "202 is a failure only for STOW-RS");
        assertEquals(4, outcome(Service.WADO, 400, false));
        assertEquals(4, outcome(Service.UNKNOWN, 404, false));
        assertEquals(8, outcome(Service.WADO, 502, false));
        assertEquals(12, outcome(Service.WADO, 200, true));
        assertTrue(message(event("GET", "/aets/X/studies/1", null,
                new RequestTarget(Service.WADO, "X", "1", null, null), 200, true, 1, -1, List.of()))
                .getJsonObject("Request").getBoolean("cutOff"));
    }

    private static int outcome(Service service, int status, boolean cutOff) {
        return message(event("GET", "/p", null, new RequestTarget(service, null, null, null, null), status,
                cutOff, -1, -1, List.of())).getJsonObject("EventIdentification").getInt("EventOutcomeIndicator");
    }

    @Test
    void aPreflightIsTheGatewaysOwnActivityWithoutQueryOrStudy() {
        JsonObject m = message(event("OPTIONS", "/aets/ORTHANC/studies/1.2.3", "PatientID=X",
                new RequestTarget(Service.QIDO, "ORTHANC", "1.2.3", null, null), true, 204, false, -1, -1, List.of()));
        JsonObject id = m.getJsonObject("EventIdentification");
        assertEquals(code("110100", "DCM", "Application Activity"), id.getJsonObject("EventID"));
        assertEquals("E", id.getString("EventActionCode"));
        assertEquals(0, id.getInt("EventOutcomeIndicator"));
        assertTrue(m.getJsonArray("ParticipantObjectIdentification").isEmpty(), "nothing was read or searched");
        assertTrue(m.getJsonObject("Request").getBoolean("preflight"));
        assertEquals("QIDO", m.getJsonObject("Request").getString("service"), "what the preflight was for");
    }

    @Test
    void otherRequestsTakeTheirActionFromTheMethod() {
        assertEquals("D", action(Service.TASKS, "DELETE"));
        assertEquals("C", action(Service.TASKS, "POST"));
        assertEquals("R", action(Service.CHANGEFEED, "GET"));
        assertEquals("R", action(Service.UNKNOWN, "HEAD"));
        assertEquals("U", action(Service.ADMIN, "PUT"));
        assertEquals("E", action(Service.ADMIN, "OPTIONS"));
    }

    private static String action(Service service, String method) {
        return message(event(method, "/p", null, new RequestTarget(service, null, null, null, null), 200,
                false, -1, -1, List.of())).getJsonObject("EventIdentification").getString("EventActionCode");
    }
}
