package org.dicomweb.gateway.backend.dimse.association;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class OperationMetersTest {

    @Test
    void finalStatusesAreClassedAsPs37AnnexC() {
        assertEquals("success", OperationMeters.outcome(0x0000));
        assertEquals("warning", OperationMeters.outcome(0x0001));
        assertEquals("warning", OperationMeters.outcome(0x0107));
        assertEquals("warning", OperationMeters.outcome(0x0116));
        assertEquals("warning", OperationMeters.outcome(0xB000));
        assertEquals("warning", OperationMeters.outcome(0xB007));
        assertEquals("cancel", OperationMeters.outcome(0xFE00));
        assertEquals("failure", OperationMeters.outcome(0xA700));
        assertEquals("failure", OperationMeters.outcome(0xA900));
        assertEquals("failure", OperationMeters.outcome(0xC000));
        assertEquals("failure", OperationMeters.outcome(0x0122));
        assertEquals("failure", OperationMeters.outcome(0x0211));
    }

    @Test
    void recordsOneTimerPerAeOperationAndOutcomeUntilClosed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OperationMeters meters = OperationMeters.install(registry);
        OperationMeters.record("PACS", "C-FIND", "success", TimeUnit.MILLISECONDS.toNanos(20));
        OperationMeters.record("PACS", "C-FIND", "success", TimeUnit.MILLISECONDS.toNanos(40));
        OperationMeters.record("PACS", "C-STORE", "error", TimeUnit.MILLISECONDS.toNanos(5));

        Timer find = registry.get("dicomweb.gateway.dimse.operations").tags("aet", "PACS", "operation", "C-FIND",
                "outcome", "success").timer();
        assertEquals(2, find.count());
        assertEquals(60, find.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(2, registry.find("dicomweb.gateway.dimse.operations").timers().size());

        meters.close();
        assertNull(registry.find("dicomweb.gateway.dimse.operations").timer(), "removed from the server's registry");
        OperationMeters.record("PACS", "C-FIND", "success", 1); // after the device stopped: recorded nowhere
        assertNull(registry.find("dicomweb.gateway.dimse.operations").timer());
    }
}
