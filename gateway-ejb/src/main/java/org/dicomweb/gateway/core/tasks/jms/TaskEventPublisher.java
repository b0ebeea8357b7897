package org.dicomweb.gateway.core.tasks.jms;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.dicomweb.gateway.core.tasks.TaskEnded;
import org.dicomweb.gateway.tasks.TaskJson;
import org.dicomweb.gateway.tasks.TaskView;

/**
 * Publishes each ended task on the TaskEvents topic (docs/jobs.md): the body is the task's JSON, the string properties
 * taskId, correlationId, batchId and state are there for selectors. After the task's transaction committed (at once
 * when it was fired outside one), through the non-XA connection factory, so that the event is sent whatever becomes
 * of any transaction around it. A failure to publish is logged with the taskId and never fails the task: the row is
 * the truth, {@code GET /tasks/{id}} still answers.
 */
@ApplicationScoped
public class TaskEventPublisher {

    private static final Logger LOG = Logger.getLogger(TaskEventPublisher.class.getName());

    @Resource(lookup = "java:/ConnectionFactory")
    ConnectionFactory connections;

    @Resource(lookup = "java:/jms/topic/dicomweb/TaskEvents")
    Topic events;

    void taskEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) TaskEnded ended) {
        TaskView task = ended.task();
        try (JMSContext context = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            TextMessage message = context.createTextMessage(TaskJson.task(task).toString());
            message.setStringProperty("taskId", task.taskId());
            message.setStringProperty("state", task.state().name());
            if (task.request().correlationId() != null) {
                message.setStringProperty("correlationId", task.request().correlationId());
            }
            if (task.request().batchId() != null) {
                message.setStringProperty("batchId", task.request().batchId());
            }
            context.createProducer().send(events, message);
        } catch (JMSException | RuntimeException e) {
            LOG.log(Level.WARNING, "task " + task.taskId() + " ended " + task.state()
                    + ", but its event could not be published on TaskEvents: " + e.getMessage(), e);
        }
    }
}
