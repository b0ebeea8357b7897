package org.dicomweb.gateway.it.jmsprobe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * A test-only deployment (jms-probe.war, deployed beside the gateway by {@code TasksJmsIT}) that lets a test running
 * outside the server use the server's JMS without remote credentials: {@code POST /jms-probe/queues/{name}} sends the
 * body as a TextMessage (or, with {@code kind=bytes}, a BytesMessage) to {@code java:/jms/queue/dicomweb/{name}};
 * {@code GET /jms-probe/events?taskId=} lists what {@link TaskEventsRecorder} received on the TaskEvents topic.
 */
@ApplicationPath("/")
public class JmsProbe extends Application {

    /** Every TaskEvents message since deployment: its string properties and its body. */
    static final ConcurrentLinkedQueue<Map<String, String>> EVENTS = new ConcurrentLinkedQueue<>();

    @RequestScoped
    @Path("/")
    public static class Endpoints {

        @Resource(lookup = "java:/ConnectionFactory")
        ConnectionFactory connections;

        @POST
        @Path("/queues/{name}")
        public String send(@PathParam("name") String name, @QueryParam("kind") String kind,
                @QueryParam("correlationId") String correlationId, @QueryParam("origAddress") String origAddress,
                String body) throws NamingException, JMSException {
            Queue queue = (Queue) new InitialContext().lookup("java:/jms/queue/dicomweb/" + name);
            try (JMSContext context = connections.createContext()) {
                Message message;
                if ("bytes".equals(kind)) {
                    BytesMessage bytes = context.createBytesMessage();
                    bytes.writeBytes(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    message = bytes;
                } else {
                    message = context.createTextMessage(body);
                }
                if (correlationId != null) {
                    message.setJMSCorrelationID(correlationId);
                }
                if (origAddress != null) {
                    message.setStringProperty("_AMQ_ORIG_ADDRESS", origAddress); // as Artemis marks a dead letter
                }
                context.createProducer().send(queue, message);
                return message.getJMSMessageID();
            }
        }

        @GET
        @Path("/events")
        @Produces(MediaType.APPLICATION_JSON)
        public String events(@QueryParam("taskId") String taskId) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            List<Map<String, String>> matching = new ArrayList<>();
            EVENTS.stream().filter(event -> taskId == null || taskId.equals(event.get("taskId")))
                    .forEach(matching::add);
            for (Map<String, String> event : matching) {
                JsonObjectBuilder json = Json.createObjectBuilder();
                event.forEach(json::add);
                array.add(json);
            }
            return array.build().toString();
        }
    }
}
