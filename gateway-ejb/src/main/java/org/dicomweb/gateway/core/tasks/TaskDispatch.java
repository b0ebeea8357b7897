package org.dicomweb.gateway.core.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Queue;

/**
 * Wakes a worker for a task: a message on the Tasks queue whose body is the taskId, with the task's priority (JMS
 * 0-9, higher first) and delivered no earlier than the task is due. The message only triggers: if it is lost (or
 * cannot be sent), the sweeper sends another, because the row says the task is due and unclaimed. Inside a caller's
 * JTA transaction (a JMS listener's) the message is sent when that commits.
 */
@ApplicationScoped
public class TaskDispatch {

    public static final String QUEUE = "java:/jms/queue/dicomweb/Tasks";
    private static final Logger LOG = Logger.getLogger(TaskDispatch.class.getName());

    /** WildFly's pooled connection factory: contexts come from (and go back to) its pool, and join JTA. */
    @Resource(lookup = "java:/JmsXA")
    ConnectionFactory connections;

    @Resource(lookup = QUEUE)
    Queue queue;

    /** Sends the message; a failure is logged, not thrown (the row is recorded, the sweeper sends it later). */
    public boolean send(String taskId, int priority, Instant due) {
        long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis());
        try (JMSContext context = connections.createContext()) {
            context.createProducer().setPriority(priority).setDeliveryDelay(delay).send(queue, taskId);
            return true;
        } catch (JMSRuntimeException e) {
            LOG.warning("task " + taskId + ": its message could not be sent to " + QUEUE + " (" + e.getMessage()
                    + "); the sweeper sends it again");
            return false;
        }
    }
}
