package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bad configuration key fails the deployment, and the failure names the key. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConfigurationIT extends GatewayDeployedOnDemand {

    private static final String KEY = "gateway.aet.ORTHANC.port";

    @Test
    void anInvalidKeyFailsTheDeploymentNamingIt() throws Exception {
        try {
            setKey("not-a-port");
            Exception failure = assertThrows(Exception.class, () -> deployer.deploy(DEPLOYMENT));
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains(
                    "configuration key 'gateway.aet.ORTHANC.port' is 'not-a-port', not a whole number"),
                    messages.toString());
        } finally {
            try {
                deployer.undeploy(DEPLOYMENT);
            } catch (RuntimeException notDeployed) {
                // the failed deployment may already be gone
            }
            setKey("14242");
        }
    }

    /** Config source properties are read at deployment; changing them needs a reload (WildFly says so). */
    private void setKey(String value) throws Exception {
        ModelNode put = Operations.createOperation("map-put",
                Operations.createAddress("subsystem", "microprofile-config-smallrye", "config-source",
                        "dicomweb-gateway"));
        put.get("name").set("properties");
        put.get("key").set(KEY);
        put.get("value").set(value);
        assertTrue(Operations.isSuccessfulOutcome(management.getControllerClient().execute(put)));
        try {
            management.getControllerClient().execute(Operations.createOperation("reload"));
        } catch (IOException closedFirst) {
            // the server may close the management connection before the reload's answer arrives (it was cancelled:
            // JBTHR00004); whether the reload happened is what the wait below checks
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            try {
                ModelNode state = management.getControllerClient().execute(
                        Operations.createReadAttributeOperation(new ModelNode().setEmptyList(), "server-state"));
                if (Operations.isSuccessfulOutcome(state)
                        && "running".equals(Operations.readResult(state).asString())) {
                    return;
                }
            } catch (IOException reloading) {
                // the management connection comes back when the server has reloaded
            }
        }
        assertEquals("running", "not running after 60 s", "server reload");
    }
}
