package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.dicomweb.gateway.core.deid.BasicProfile;
import org.dicomweb.gateway.core.deid.Deidentification;
import org.dicomweb.gateway.core.deid.DeidentificationOptions;
import org.dicomweb.gateway.core.deid.KeyedHashPseudonyms;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * ORTHANC-DEID's pseudonyms survive a redeployment: the same study shows the same pseudonyms afterwards, and a client
 * naming a pseudonym it was shown before is still answered, though the new deployment remembers nothing in memory
 * (the UID map is a database table).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeidentifiedRedeployIT extends GatewayDeployedOnDemand {

    private static final String AET = "ORTHANC-DEID";

    @Test
    void pseudonymsAreTheSameAndStillResolveAfterARedeployment() {
        TestPeers.start("all");
        byte[] secret = TestPeers.DEIDENTIFY_SECRET.getBytes(StandardCharsets.UTF_8);
        Deidentification profile = BasicProfile.of(AET, new DeidentificationOptions(false, false, false, false, false,
                Set.of(), false), secret, new KeyedHashPseudonyms(secret, AET));
        String study = SampleStudies.studies().get(1);
        String pseudonym = profile.uid(study);
        String series = Http.GATEWAY + "/aets/" + AET + "/studies/" + pseudonym + "/series";

        deployer.deploy(DEPLOYMENT);
        // A client knows only the pseudonyms it was shown: the list of studies first.
        assertEquals(200, Http.get(Http.GATEWAY + "/aets/" + AET + "/studies").status());
        String search = Http.GATEWAY + "/aets/" + AET + "/studies?StudyInstanceUID=" + pseudonym;
        Http.Reply shown = Http.get(search);
        assertEquals(200, shown.status(), shown.body());
        Http.Reply before = Http.get(series);
        assertEquals(200, before.status(), before.body());
        deployer.undeploy(DEPLOYMENT);

        deployer.deploy(DEPLOYMENT);
        try {
            Http.Reply after = Http.get(series);
            assertEquals(200, after.status(), "the pseudonym resolves from the table: " + after.body());
            assertEquals(before.json(), after.json(), "the same series pseudonyms");
            assertEquals(shown.json(), Http.get(search).json(), "the same study match");
        } finally {
            deployer.undeploy(DEPLOYMENT);
        }
    }
}
