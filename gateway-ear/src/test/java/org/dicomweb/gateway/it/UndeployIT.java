package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.testpeers.TestPeers;

/** Undeploying the EAR frees the SCP port and leaves no thread running gateway, PixelMed or HttpClient code. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class UndeployIT extends GatewayDeployedOnDemand {

    @Test
    void undeployFreesThePortAndEndsEveryGatewayThread() throws Exception {
        TestPeers.start("all");
        deployer.deploy(DEPLOYMENT);
        // Put every part to work: pooled associations to both PACS, a pooled connection to the DICOMweb upstream,
        // and an SCP association left open.
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC").status());
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/DCMQRSCP").status());
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/ORTHANC-WEB").status());
        TestPeers.run("echoscu", "-aec", "DICOMWEB", TestPeers.HOST, String.valueOf(TestPeers.GATEWAY_SCP_PORT));
        try (Socket idleClient = new Socket(TestPeers.HOST, TestPeers.GATEWAY_SCP_PORT)) {
            idleClient.setSoTimeout(5_000);
            assertTrue(ServerThreads.framesContaining(management, "org.dicomweb.gateway", "com.pixelmed", "org.apache.hc")
                    .size() > 0, "the dump sees the SCP's threads while deployed");

            deployer.undeploy(DEPLOYMENT);

            assertEquals(-1, read(idleClient.getInputStream()), "the open SCP connection was closed");
        }
        assertThrows(ConnectException.class, () -> new Socket(TestPeers.HOST, TestPeers.GATEWAY_SCP_PORT).close(),
                "port " + TestPeers.GATEWAY_SCP_PORT + " is free");
        assertEquals(List.of(), ServerThreads.framesContaining(management, "org.dicomweb.gateway", "com.pixelmed",
                "org.apache.hc"));
    }

    private static int read(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }
}
