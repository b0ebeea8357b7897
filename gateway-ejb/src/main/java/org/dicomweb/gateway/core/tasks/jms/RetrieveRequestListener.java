package org.dicomweb.gateway.core.tasks.jms;

import java.util.logging.Logger;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

import org.dicomweb.gateway.core.tasks.TaskRecords;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskRequests;
import org.dicomweb.gateway.tasks.TaskService;
import org.dicomweb.gateway.tasks.TaskSubmission;

/**
 * The RetrieveRequests queue (docs/jobs.md): each TextMessage is a task request, submitted like {@code POST /tasks}.
 * A request that can never be taken (not a TextMessage, malformed, an unknown AE) is recorded as a FAILED task with
 * the reason and the message consumed, so it is not redelivered forever; anything else that fails (the database) is
 * thrown, so that Artemis redelivers it and, after the queue's attempts, moves it to DeadLetter.
 * <p>
 * Not in a transaction of its own: the submission and the refusal each commit in the task service's transaction, so
 * that a refused submission, rolled back, cannot take the record of its refusal with it. A crash between the
 * submission and the acknowledgement redelivers the message, which the taskId makes harmless. Two sessions: it only
 * records, the work is the Tasks queue's.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup",
                propertyValue = "java:/jms/queue/dicomweb/RetrieveRequests"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "2")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetrieveRequestListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(RetrieveRequestListener.class.getName());

    @Inject
    TaskService tasks;

    @Inject
    TaskRecords records;

    @Override
    public void onMessage(Message message) {
        String correlationId = JmsProperties.correlationId(message);
        if (!(message instanceof TextMessage text)) {
            refuse(null, correlationId, null, "a retrieve request must be a TextMessage with the request JSON, not a "
                    + JmsProperties.kind(message));
            return;
        }
        String body = JmsProperties.text(text);
        TaskRequest request;
        try {
            request = withCorrelation(TaskRequests.parse(body == null ? "" : body), correlationId);
        } catch (InvalidRequestException e) {
            RequestIds ids = RequestIds.of(body);
            refuse(ids.taskId(), ids.correlationIdOr(correlationId), body, e.getMessage());
            return;
        }
        try {
            TaskSubmission submission = tasks.submit(request);
            LOG.info("retrieve request " + request.taskId() + (submission.created() ? ": task scheduled"
                    : ": task exists already (" + submission.task().state() + "), not run again"));
        } catch (UnknownAeException | InvalidRequestException e) {
            refuse(request.taskId(), request.correlationId(), body, e.getMessage());
        }
    }

    /** A JMS sender may correlate by the JMSCorrelationID header instead of the body's field: the body wins. */
    private static TaskRequest withCorrelation(TaskRequest request, String correlationId) {
        if (request.correlationId() != null || correlationId == null
                || correlationId.length() > TaskRequests.MAX_ID_LENGTH) {
            return request;
        }
        return new TaskRequest(request.taskId(), correlationId, request.batchId(), request.priority(),
                request.source(), request.selection(), request.destination(), request.notBefore());
    }

    private void refuse(String taskId, String correlationId, String body, String reason) {
        String recorded = records.recordRefused(taskId, correlationId, body, reason);
        LOG.warning("retrieve request refused, recorded as FAILED task " + recorded + ": " + reason);
    }
}
