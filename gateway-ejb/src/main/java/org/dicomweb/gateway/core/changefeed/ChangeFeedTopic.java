package org.dicomweb.gateway.core.changefeed;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.dicomweb.gateway.changefeed.ChangeFeedEntry;
import org.dicomweb.gateway.changefeed.ChangeFeedJson;

/**
 * Publishes committed change feed entries on the ChangeFeed topic (wildfly-config/gateway.cli): body the entry's JSON,
 * properties aet, origin (strings) and sequence (long) for selectors. A notification for whoever listens now: the
 * table is the record, and an entry the topic could not take is logged and still read from {@code GET /changefeed}.
 */
@ApplicationScoped
public class ChangeFeedTopic {

    public static final String JNDI = "java:/jms/topic/dicomweb/ChangeFeed";
    private static final Logger LOG = Logger.getLogger(ChangeFeedTopic.class.getName());

    /** The pooled connection factory: no connection opened per event. */
    @Resource(lookup = "java:/JmsXA")
    ConnectionFactory connections;

    @Resource(lookup = JNDI)
    Topic topic;

    void publish(List<ChangeFeedEntry> entries) {
        try (JMSContext context = connections.createContext()) {
            JMSProducer producer = context.createProducer();
            for (ChangeFeedEntry entry : entries) {
                TextMessage message = context.createTextMessage(ChangeFeedJson.entry(entry).toString());
                message.setStringProperty("aet", entry.aet());
                message.setStringProperty("origin", entry.origin());
                message.setLongProperty("sequence", entry.sequence());
                producer.send(topic, message);
            }
        } catch (JMSRuntimeException | JMSException e) {
            LOG.log(Level.WARNING, "change feed entries " + entries.get(0).sequence() + " to "
                    + entries.get(entries.size() - 1).sequence() + " are recorded but not published on " + JNDI + ": "
                    + e.getMessage(), e);
        }
    }
}
