package org.dicomweb.gateway.it;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/**
 * The base of the ITs that deploy the gateway's EAR themselves ({@code deployer.deploy(DEPLOYMENT)}), once a test has
 * set the server up for it through {@code management} (a key, a mode), and undeploy it again.
 */
abstract class GatewayDeployedOnDemand {

    static final String DEPLOYMENT = "gateway";

    @ArquillianResource
    Deployer deployer;

    @ArquillianResource
    ManagementClient management;

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static EnterpriseArchive ear() {
        return DeployedGateway.archive();
    }
}
