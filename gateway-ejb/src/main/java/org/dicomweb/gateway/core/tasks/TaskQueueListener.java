package org.dicomweb.gateway.core.tasks;

import java.util.logging.Logger;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/**
 * The workers: one task run per message of the Tasks queue (body: its taskId), at most {@code maxSession} at once on
 * this node (system property {@code gateway.tasks.workers}, resolved by WildFly's annotation property replacement,
 * which wildfly-config/gateway.cli enables). Bean-managed transactions: a run is many short transactions on its row,
 * never one around it (a run may take hours). A database failure leaves onMessage: Artemis redelivers the message
 * (after 5 attempts it goes to DeadLetter).
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = TaskDispatch.QUEUE),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "${gateway.tasks.workers:4}"),
        // No prefetch: a session busy with a long task must not hold messages that a free session could run (by
        // default each buffers up to 1 MiB of them); with none, the broker hands the next due, highest-priority
        // message to whichever session is free.
        @ActivationConfigProperty(propertyName = "consumerWindowSize", propertyValue = "0")
})
@TransactionManagement(TransactionManagementType.BEAN)
public class TaskQueueListener implements MessageListener {

    private static final Logger LOG = Logger.getLogger(TaskQueueListener.class.getName());

    @Inject
    TaskWorker worker;

    @Override
    public void onMessage(Message message) {
        String taskId;
        try {
            taskId = message instanceof TextMessage text ? text.getText() : null;
        } catch (JMSException e) {
            throw new IllegalStateException("a message of " + TaskDispatch.QUEUE + " cannot be read", e);
        }
        if (taskId == null || taskId.isBlank()) {
            LOG.warning("a message of " + TaskDispatch.QUEUE + " without a taskId (" + message.getClass().getName()
                    + ") was dropped");
            return;
        }
        worker.work(taskId.strip());
    }
}
