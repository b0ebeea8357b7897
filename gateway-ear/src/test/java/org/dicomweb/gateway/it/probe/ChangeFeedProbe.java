package org.dicomweb.gateway.it.probe;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A subscriber to the gateway's ChangeFeed topic, deployed by ChangeFeedIT next to the gateway (a test only: never in
 * the EAR): keeps every message it gets, body and properties, for {@link ReceivedServlet} to show. Subscribed from its
 * deployment on, so before any of the test's stores.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup",
                propertyValue = "java:/jms/topic/dicomweb/ChangeFeed"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic")})
public class ChangeFeedProbe implements MessageListener {

    static final Queue<JsonObject> RECEIVED = new ConcurrentLinkedQueue<>();

    @Override
    public void onMessage(Message message) {
        try {
            RECEIVED.add(Json.createObjectBuilder()
                    .add("body", ((TextMessage) message).getText())
                    .add("aet", message.getStringProperty("aet"))
                    .add("origin", message.getStringProperty("origin"))
                    .add("sequence", message.getLongProperty("sequence"))
                    .build());
        } catch (JMSException | RuntimeException e) {
            RECEIVED.add(Json.createObjectBuilder().add("error", String.valueOf(e)).build());
        }
    }
}
