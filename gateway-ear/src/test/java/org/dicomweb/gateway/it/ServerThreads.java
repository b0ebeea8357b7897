package org.dicomweb.gateway.it;

import java.io.IOException;
import java.util.List;

import org.jboss.as.arquillian.container.ManagementClient;

import org.dicomweb.gateway.testpeers.TestPeers;

/** The threads of the WildFly under test, from a jcmd thread dump. */
final class ServerThreads {

    private ServerThreads() {
    }

    /** Stack frames that match any of the given texts. */
    static List<String> framesContaining(ManagementClient management, String... texts) throws IOException {
        return TestPeers.run("jcmd", ServerProcess.pid(management), "Thread.print").lines()
                .filter(line -> List.of(texts).stream().anyMatch(line::contains))
                .toList();
    }
}
