package org.dicomweb.gateway.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.UnknownAeException;

/** Per-AE clients across reloads: equal settings keep their client, others get a new one, old ones drain first. */
class AeClientsTest {

    private static final class FakeClient implements AeClients.Client<String> {
        final String settings;
        final OperationSlots slots = new OperationSlots("AE", "requests", 4, 0,
                (reason, cause) -> new GatewayBusyException(reason));
        boolean closed;

        FakeClient(String settings) {
            this.settings = settings;
        }

        @Override
        public String settings() {
            return settings;
        }

        @Override
        public OperationSlots slots() {
            return slots;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The drains handed to the executor, run when the test says. */
    private final List<Runnable> drains = new ArrayList<>();
    private final AeClients<String, FakeClient> clients = new AeClients<>(drains::add);

    private static Map<String, String> settings(String... aetAndSettings) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < aetAndSettings.length; i += 2) {
            map.put(aetAndSettings[i], aetAndSettings[i + 1]);
        }
        return map;
    }

    @Test
    void keepsTheClientOfUnchangedSettingsAndDrainsTheReplacedOnes() {
        clients.update(settings("A", "a1", "B", "b1", "C", "c1"), FakeClient::new);
        FakeClient a = clients.of("A");
        FakeClient b = clients.of("B");
        FakeClient c = clients.of("C");
        OperationSlots.Slot inFlight = b.slots().acquire();

        clients.update(settings("A", "a1", "B", "b2"), FakeClient::new);

        assertSame(a, clients.of("A"), "unchanged: the same client");
        assertNotSame(b, clients.of("B"));
        assertEquals("b2", clients.of("B").settings());
        assertThrows(UnknownAeException.class, () -> clients.of("C"));
        assertEquals(2, drains.size(), "B's and C's old clients wait for their requests");
        assertFalse(b.closed);
        inFlight.close();
        drains.forEach(Runnable::run);
        assertTrue(b.closed, "closed once its request ended");
        assertTrue(c.closed);
        assertFalse(a.closed);
    }

    @Test
    void closeClosesTheDrainingClientsToo() {
        clients.update(settings("A", "a1"), FakeClient::new);
        FakeClient a = clients.of("A");
        clients.update(settings("A", "a2"), FakeClient::new);

        clients.close();

        assertTrue(a.closed);
        assertTrue(clients.of("A").closed);
    }
}
