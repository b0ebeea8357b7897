package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the pool checks an idle association before reusing it, against a PACS on a real loopback socket that counts
 * the associations it accepted and the C-ECHOs it answered: one the PACS ended meanwhile is replaced without a C-ECHO
 * on it, a healthy one is reused without a C-ECHO, and only one silent for longer than {@code echo-after-idle-ms}
 * is asked one.
 */
class IdleAssociationTest {

    private static DimseAssociation echo(AssociationPool pool) {
        return pool.execute(association -> {
            association.echo();
            return association;
        });
    }

    @ParameterizedTest
    @EnumSource(EchoingPeer.Ending.class)
    void anAssociationThePacsEndedWhileIdleIsReplacedWithoutAnEchoOnIt(EchoingPeer.Ending ending) throws Exception {
        try (EchoingPeer peer = new EchoingPeer(); AssociationPool pool = new AssociationPool(peer.ae(30_000))) {
            DimseAssociation first = echo(pool);
            peer.endLatest(ending);

            DimseAssociation next = echo(pool);

            assertNotSame(first, next, ending + ": a new association");
            assertEquals(2, peer.associations(), ending + ": the second association the PACS accepted");
            assertEquals(2, peer.echoes(), ending + ": the two echoes asked for, none to check the ended association");
            assertEquals(1, pool.stats().open(), ending + ": the ended association aborted, not kept");
        }
    }

    @Test
    void aHealthyIdleAssociationIsReusedWithoutAnEcho() throws Exception {
        try (EchoingPeer peer = new EchoingPeer(); AssociationPool pool = new AssociationPool(peer.ae(30_000))) {
            DimseAssociation first = echo(pool);
            assertSame(first, echo(pool), "reused at once");
            Thread.sleep(1_100); // idle for longer than the pool used to check with a C-ECHO (1 s)
            assertSame(first, echo(pool), "reused after a second's idle");

            assertEquals(1, peer.associations());
            assertEquals(3, peer.echoes(), "only the three asked for");
        }
    }

    @Test
    void anAssociationSilentForLongerThanEchoAfterIdleIsCheckedWithAnEcho() throws Exception {
        try (EchoingPeer peer = new EchoingPeer(); AssociationPool pool = new AssociationPool(peer.ae(0))) {
            DimseAssociation first = echo(pool);
            assertSame(first, echo(pool), "the C-ECHO before reuse succeeded: the same association");

            assertEquals(1, peer.associations());
            assertEquals(3, peer.echoes(), "the two asked for, and the one before the reuse");
        }
    }
}
