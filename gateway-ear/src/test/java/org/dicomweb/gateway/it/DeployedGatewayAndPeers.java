package org.dicomweb.gateway.it;

import org.junit.jupiter.api.BeforeAll;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * The deployed gateway with all of scripts/peers.sh's peers up before the IT's own {@code @BeforeAll} methods run
 * (JUnit runs a superclass's first): those may store samples into them.
 */
abstract class DeployedGatewayAndPeers extends DeployedGateway {

    @BeforeAll
    static void allPeersStarted() {
        TestPeers.start("all");
    }
}
