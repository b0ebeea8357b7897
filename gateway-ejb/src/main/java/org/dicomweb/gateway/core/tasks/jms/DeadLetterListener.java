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
import org.dicomweb.gateway.tasks.TaskService;
import org.dicomweb.gateway.validation.Values;

/**
 * The DeadLetter queue (docs/jobs.md): a message Artemis gave up on after the attempts of its queue's address
 * setting. One from the Tasks queue (body: a taskId) fails its task with the reason; one from RetrieveRequests (body:
 * the request JSON) fails the task it created, or, if the request never became a task (the database was down all
 * along), records it as a refused FAILED task, so that its sender finds it by its taskId. A message it cannot
 * attribute to a task is consumed with a log line. As for the requests' listener, each recording commits in the task
 * service's own transaction; a database failure is thrown (redelivered by the server's default address setting).
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup",
                propertyValue = "java:/jms/queue/dicomweb/DeadLetter"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DeadLetterListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(DeadLetterListener.class.getName());

    @Inject
    TaskService tasks;

    @Inject
    TaskRecords records;

    @Override
    public void onMessage(Message message) {
        String address = JmsProperties.string(message, JmsProperties.ORIGINAL_ADDRESS);
        String body = message instanceof TextMessage text ? JmsProperties.text(text) : null;
        if (body == null || body.isBlank()) {
            LOG.warning("dead letter from " + (address != null ? address : "an unknown address") + " consumed: a "
                    + JmsProperties.kind(message) + " without a text body names no task");
            return;
        }
        String reason = "its message could not be delivered" + (address != null ? " to " + queue(address) : "")
                + " within the delivery attempts of its queue (dead-letter address)";
        if (body.strip().startsWith("{")) {
            request(body, JmsProperties.correlationId(message), address, reason);
        } else {
            task(body.strip(), address, reason);
        }
    }

    /** A request of the RetrieveRequests queue. */
    private void request(String body, String headerCorrelationId, String address, String reason) {
        RequestIds ids = RequestIds.of(body);
        if (ids.taskId() != null && tasks.find(ids.taskId()).isPresent()) {
            records.failUndeliverable(ids.taskId(), reason);
            LOG.warning("task " + ids.taskId() + " FAILED: " + reason);
            return;
        }
        String recorded = records.recordRefused(ids.taskId(), ids.correlationIdOr(headerCorrelationId), body, reason);
        LOG.warning("dead-lettered retrieve request from " + address + " recorded as FAILED task " + recorded + ": "
                + reason);
    }

    /** A taskId of the Tasks queue. */
    private void task(String taskId, String address, String reason) {
        if (tasks.find(taskId).isEmpty()) {
            LOG.warning("dead letter from " + address + " consumed: no task " + Values.shorten(taskId));
            return;
        }
        records.failUndeliverable(taskId, reason);
        LOG.warning("task " + taskId + " FAILED: " + reason);
    }

    /** jms.queue.DicomwebGatewayTasks (WildFly's address names keep the old prefix) -> DicomwebGatewayTasks. */
    private static String queue(String address) {
        return address.startsWith("jms.queue.") ? address.substring("jms.queue.".length()) : address;
    }
}
