package org.dicomweb.gateway.core.tasks.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/**
 * What the listeners read of a message's headers and properties. A header that cannot be read is treated as
 * absent: the listeners must consume a message they cannot understand, not fail on it (it would come back).
 */
final class JmsProperties {

    /** Artemis's property on a dead-lettered message: the address it was sent to first. */
    static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";

    private JmsProperties() {
    }

    static String correlationId(Message message) {
        try {
            String id = message.getJMSCorrelationID();
            return id == null || id.isBlank() ? null : id.strip();
        } catch (JMSException e) {
            return null;
        }
    }

    static String string(Message message, String property) {
        try {
            return message.propertyExists(property) ? message.getStringProperty(property) : null;
        } catch (JMSException | RuntimeException e) {
            return null;
        }
    }

    static String text(TextMessage message) {
        try {
            return message.getText();
        } catch (JMSException e) {
            return null;
        }
    }

    /** "a BytesMessage", for the reason a message of that kind is refused. */
    static String kind(Message message) {
        if (message instanceof BytesMessage) {
            return "BytesMessage";
        }
        if (message instanceof MapMessage) {
            return "MapMessage";
        }
        if (message instanceof ObjectMessage) {
            return "ObjectMessage";
        }
        if (message instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "Message without a body";
    }
}
