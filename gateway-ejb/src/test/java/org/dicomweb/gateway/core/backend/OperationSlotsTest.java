package org.dicomweb.gateway.core.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.error.GatewayBusyException;

/** A client replaced by a reload waits for its slots: idle once every slot taken is given back. */
class OperationSlotsTest {

    private final OperationSlots slots = new OperationSlots("AE", "requests", 2, 0,
            (reason, cause) -> new GatewayBusyException(reason));

    @Test
    void isIdleOnlyWhenNoSlotIsHeld() throws InterruptedException {
        assertTrue(slots.awaitIdle(0));
        OperationSlots.Slot first = slots.acquire();
        OperationSlots.Slot second = slots.acquire();
        assertFalse(slots.awaitIdle(0));
        first.close();
        first.close(); // a second close frees nothing more
        assertFalse(slots.awaitIdle(0));
        second.close();
        assertTrue(slots.awaitIdle(0));
    }
}
