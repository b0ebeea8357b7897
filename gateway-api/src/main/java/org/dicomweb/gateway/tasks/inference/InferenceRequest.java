package org.dicomweb.gateway.tasks.inference;

import java.util.List;

import org.dicomweb.gateway.tasks.TaskRequest;

/**
 * An ACR DSI inference request (as MONAI's Informatics Gateway takes it) mapped onto the task model
 * ({@link InferenceRequests}): one task per output resource and selection, all with the request's transactionID as
 * their batchId and correlationId.
 */
public record InferenceRequest(String transactionId, List<TaskRequest> tasks) {

    public InferenceRequest {
        tasks = List.copyOf(tasks);
    }
}
