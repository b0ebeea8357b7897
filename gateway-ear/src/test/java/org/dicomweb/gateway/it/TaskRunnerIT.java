package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The task runner's store path end to end: instances of new UIDs stored into ORTHANC (Orthanc, by the gateway's
 * C-STORE), a task asks for them by PatientID or as an instance list, the gateway retrieves them from ORTHANC (C-GET)
 * and delivers them into the AE S3 (S3Proxy bucket, index on PostgreSQL). Asserted: the task's end state and counts,
 * and, read from the bucket with the S3 API, that each instance arrived with the data set that was sent, and no
 * other.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TaskRunnerIT extends DeployedGatewayAndPeers {

    private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    private static S3Bucket bucket;

    @BeforeAll
    static void peers() {
        bucket = new S3Bucket();
    }

    @AfterAll
    static void closeBucket() {
        bucket.close();
    }

    private record Sent(String study, String series, String sop, byte[] part10) {
        /** Where the S3 layout puts it: {prefix}/{study}/{series}/{sop}.dcm. */
        String key() {
            return S3Bucket.DEMO + "/" + study + "/" + series + "/" + sop + ".dcm";
        }
    }

    /** A study of {@code seriesCount} × {@code instances} new instances of the patient, stored into ORTHANC. */
    private static List<Sent> studyInOrthanc(String patientId, int seriesCount, int instances) {
        String study = TestInstance.newUid();
        List<Sent> sent = new ArrayList<>();
        List<Stow.Part> parts = new ArrayList<>();
        for (int s = 1; s <= seriesCount; s++) {
            String series = TestInstance.newUid();
            for (int i = 1; i <= instances; i++) {
                String sop = TestInstance.newUid();
                byte[] part10 = new TestInstance()
                        .text(0x00080016, "UI", SECONDARY_CAPTURE)
                        .text(0x00080018, "UI", sop)
                        .text(0x00080020, "DA", "20261201")
                        .text(0x00080060, "CS", "OT")
                        .text(0x00100010, "PN", "Runner^Task")
                        .text(0x00100020, "LO", patientId)
                        .text(0x0020000D, "UI", study)
                        .text(0x0020000E, "UI", series)
                        .text(0x00200011, "IS", Integer.toString(s))
                        .text(0x00200013, "IS", Integer.toString(i))
                        .part10(SECONDARY_CAPTURE, sop, TestInstance.EXPLICIT_LE);
                sent.add(new Sent(study, series, sop, part10));
                parts.add(Stow.Part.dicom(part10));
            }
        }
        Stow.Answer answer = Stow.post("ORTHANC", parts.toArray(Stow.Part[]::new));
        assertEquals(200, answer.status(), answer.body());
        return sent;
    }

    private static String newPatientId() {
        return "TR-" + TestInstance.newUid().substring(5, 25);
    }

    private static void assertArrivedInS3(List<Sent> instances) {
        for (Sent instance : instances) {
            byte[] stored = bucket.require(instance.key());
            assertArrayEquals(Multipart.dataSet(instance.part10()), Multipart.dataSet(stored),
                    "the data set in S3 of " + instance.key());
        }
    }

    @Test
    void everyStudyOfAPatientIdIsDeliveredOnceAndCounted() throws IOException, InterruptedException {
        String patientId = newPatientId();
        List<Sent> sent = new ArrayList<>(studyInOrthanc(patientId, 2, 3));
        sent.addAll(studyInOrthanc(patientId, 1, 2));

        JsonObject task = TaskClient.submit("{\"source\":\"ORTHANC\",\"retrieve\":{\"patientId\":\"" + patientId
                + "\"},\"destination\":\"S3\"}", 201);
        JsonObject ended = TaskClient.awaitEnd(task.getString("taskId"));

        assertEquals("COMPLETED", ended.getString("state"), ended.toString());
        assertEquals("store", ended.getString("method"));
        assertEquals(8, ended.getInt("completed"), ended.toString());
        assertEquals(0, ended.getInt("failed"));
        assertEquals(0, ended.getInt("warning"));
        assertEquals(0, ended.getInt("remaining"), "known from the instance searches, then counted down");
        assertArrivedInS3(sent);
        // The S3 AE's index has both studies of the patient, as a QIDO-RS client sees them.
        Http.Reply studies = Http.get(Http.GATEWAY + "/aets/S3/studies?PatientID=" + patientId);
        assertEquals(200, studies.status(), studies.body());
        assertEquals(sent.stream().map(Sent::study).collect(Collectors.toSet()),
                studies.json().asJsonArray().stream().map(s -> s.asJsonObject().getJsonObject("0020000D")
                        .getJsonArray("Value").getString(0)).collect(Collectors.toSet()));
    }

    @Test
    void anInstanceListDeliversTheListedInstancesAndFailsOnlyTheOneTheSourceLacks()
            throws IOException, InterruptedException {
        List<Sent> series = studyInOrthanc(newPatientId(), 1, 4);
        String missing = TestInstance.newUid();
        List<Sent> listed = List.of(series.get(0), series.get(2));

        JsonObject task = TaskClient.submit("{\"source\":\"ORTHANC\",\"retrieve\":{\"studies\":[{\"studyInstanceUid\":\""
                + series.get(0).study() + "\",\"seriesInstanceUid\":\"" + series.get(0).series()
                + "\",\"sopInstanceUids\":[\"" + listed.get(0).sop() + "\",\"" + missing + "\",\""
                + listed.get(1).sop() + "\"]}]},\"destination\":\"S3\"}", 201);
        JsonObject ended = TaskClient.awaitEnd(task.getString("taskId"));

        assertEquals("WARNING", ended.getString("state"), ended.toString());
        assertEquals(2, ended.getInt("completed"), ended.toString());
        assertEquals(1, ended.getInt("failed"), ended.toString());
        assertEquals(0, ended.getInt("remaining"));
        JsonObject failure = ended.getJsonArray("failures").getJsonObject(0);
        assertEquals(missing, failure.getString("sopInstanceUid"));
        assertTrue(failure.getString("reason").contains("ORTHANC"), "the reason names the source: " + failure);
        assertArrivedInS3(listed);
        for (Sent notListed : List.of(series.get(1), series.get(3))) {
            assertTrue(bucket.get(notListed.key()).isEmpty(), "not asked for, not delivered: " + notListed.key());
        }
    }
}
