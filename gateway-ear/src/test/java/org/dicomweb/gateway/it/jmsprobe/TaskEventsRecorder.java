package org.dicomweb.gateway.it.jmsprobe;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** Subscribed to TaskEvents from deployment on, so before any test sends: keeps each event for the probe's GET. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/topic/dicomweb/TaskEvents"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic")})
public class TaskEventsRecorder implements MessageListener {

    @Override
    public void onMessage(Message message) {
        try {
            Map<String, String> event = new HashMap<>();
            for (Object name : Collections.list(message.getPropertyNames())) {
                Object value = message.getObjectProperty((String) name);
                event.put("property:" + name, String.valueOf(value));
            }
            if (message.getStringProperty("taskId") != null) {
                event.put("taskId", message.getStringProperty("taskId"));
            }
            event.put("body", message instanceof TextMessage text ? text.getText() : "(not a TextMessage)");
            JmsProbe.EVENTS.add(event);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
