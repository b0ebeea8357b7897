package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import org.dicomweb.gateway.testpeers.TestPeers;

/** The threads of the WildFly under test, from a jcmd thread dump. */
final class ServerThreads {

    private ServerThreads() {
    }

    /** Stack frames that match any of the given texts. */
    static List<String> framesContaining(ManagementClient management, String... texts) throws IOException {
        // The runtime MBean names the server's own process ("pid@host"): other WildFlys may run from the same home.
        ModelNode operation = Operations.createReadAttributeOperation(
                Operations.createAddress("core-service", "platform-mbean", "type", "runtime"), "name");
        ModelNode result = management.getControllerClient().execute(operation);
        assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        String pid = Operations.readResult(result).asString().split("@")[0];
        return TestPeers.run("jcmd", pid, "Thread.print").lines()
                .filter(line -> List.of(texts).stream().anyMatch(line::contains))
                .toList();
    }
}
