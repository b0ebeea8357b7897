package org.dicomweb.gateway.tasks.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskSelection;
import org.dicomweb.gateway.tasks.TaskTarget;

class InferenceRequestsTest {

    /** MONAI's documented shape: an Algorithm input (ignored), a DICOMweb source by name, two outputs. */
    private static final String MONAI_STYLE = """
            {"transactionID": "T-1", "priority": "255",
             "inputMetadata": {"details": {"type": "DICOM_UID", "studies": [
                 {"StudyInstanceUID": "1.2.3", "series": [
                     {"SeriesInstanceUID": "1.2.3.4", "instances": [{"SOPInstanceUID": ["1.2.3.4.5", "1.2.3.4.6"]}]},
                     {"SeriesInstanceUID": "1.2.3.7"}]},
                 {"StudyInstanceUID": "1.2.8"}]}},
             "inputResources": [
                 {"interface": "Algorithm", "connectionDetails": {"name": "ai-lung-tumor", "id": "123"}},
                 {"interface": "DICOMweb", "connectionDetails": {"name": "ORTHANC", "operations": ["QUERY", "RETRIEVE"],
                  "uri": "http://ignored:8042/dicom-web", "authType": "None"}}],
             "outputResources": [
                 {"interface": "DICOMweb", "connectionDetails": {"name": "ORTHANC-DEST"}},
                 {"interface": "DIMSE", "connectionDetails": {"aeTitle": "DCMQRSCP"}}]}
            """;

    @Test
    void eachOutputIsOneTaskOfTheTransactionWithTheStudiesSeriesAndInstancesAsked() {
        InferenceRequest request = InferenceRequests.parse(MONAI_STYLE);
        assertEquals("T-1", request.transactionId());
        TaskSelection selection = TaskSelection.of(List.of(
                new TaskTarget("1.2.3", "1.2.3.4", List.of("1.2.3.4.5", "1.2.3.4.6")),
                new TaskTarget("1.2.3", "1.2.3.7", List.of()), TaskTarget.study("1.2.8")));
        assertEquals(List.of(new TaskRequest("T-1-1", "T-1", "T-1", 9, "ORTHANC", selection, "ORTHANC-DEST", null),
                new TaskRequest("T-1-2", "T-1", "T-1", 9, "ORTHANC", selection, "DCMQRSCP", null)), request.tasks());
    }

    @Test
    void patientIdAndEachAccessionNumberAreSelectionsOfTheirOwn() {
        InferenceRequest request = InferenceRequests.parse("""
                {"transactionID": "T-2", "inputMetadata": {
                   "details": {"type": "DICOM_PATIENT_ID", "PatientID": "P1"},
                   "inputs": [{"type": "ACCESSION_NUMBER", "accessionNumber": ["A1", "A2"]}]},
                 "inputResources": [{"interface": "DIMSE", "connectionDetails": {"name": "DCMQRSCP"}}],
                 "outputResources": [{"interface": "DICOMweb", "connectionDetails": {"name": "ORTHANC-DEST"}}]}
                """);
        assertEquals(List.of(TaskSelection.patient("P1"), TaskSelection.accession("A1"),
                TaskSelection.accession("A2")), request.tasks().stream().map(TaskRequest::selection).toList());
        assertEquals(List.of("T-2-1", "T-2-2", "T-2-3"), request.tasks().stream().map(TaskRequest::taskId).toList());
        assertEquals(TaskRequest.DEFAULT_PRIORITY, request.tasks().get(0).priority(), "DSI's default 128 is ours");
    }

    @Test
    void aSourceGivenOnlyByUriIsRefusedWithTheReason() {
        String body = MONAI_STYLE.replace("\"name\": \"ORTHANC\", ", "");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> InferenceRequests.parse(body));
        assertTrue(e.getMessage().startsWith("'inputResources[1].connectionDetails.name' is missing: it must name a "
                + "configured AE; the gateway never connects to a URI or host:port from a request"), e.getMessage());
    }

    @Test
    void malformedRequestsNameTheField() {
        refused("{}", "'transactionID' is missing");
        refused(MONAI_STYLE.replace("\"1.2.8\"", "\"1.2.x\""),
                "'inputMetadata.details.studies[1].StudyInstanceUID': '1.2.x' is not a UID");
        refused(MONAI_STYLE.replace("\"DICOM_UID\"", "\"FHIR_RESOURCE\""), "'inputMetadata.details.type' FHIR_RESOURCE");
        refused(MONAI_STYLE.replace("\"DIMSE\"", "\"FHIR\""), "'outputResources[1].interface' FHIR is not taken");
        refused(MONAI_STYLE.replace("\"255\"", "256"), "'priority' must be an integer from 0 to 255");
        refused(MONAI_STYLE.replace("{\"interface\": \"Algorithm\"", "{\"interface\": \"DIMSE\""),
                "'inputResources' must have exactly one DICOMweb or DIMSE resource, the source (it has 2)");
        refused(MONAI_STYLE.replace("\"T-1\"", "\"" + "x".repeat(61) + "\""), "'transactionID' must be 1 to 60");
        refused("[1]", "the inference request must be a JSON object");
    }

    private static void refused(String body, String reason) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> InferenceRequests.parse(body));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
    }
}
