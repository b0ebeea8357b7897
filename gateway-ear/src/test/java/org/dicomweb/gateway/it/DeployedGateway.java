package org.dicomweb.gateway.it;

import java.io.File;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/**
 * The base of the ITs that test the gateway as deployed: Arquillian deploys the EAR the build made (its path in the
 * system property gateway.ear) before the first test, found as this class's {@code @Deployment}. An IT with a
 * deployment of its own (named, unmanaged, next to a probe) takes the EAR from {@link #archive()}.
 */
abstract class DeployedGateway {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return archive();
    }

    static EnterpriseArchive archive() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("gateway.ear")));
    }
}
