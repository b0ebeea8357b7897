package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.backend.dimse.config.CallingAets;

/** Only calling AE titles the configuration names become label values; the meters go when the SCP's device stops. */
class ScpMetersTest {

    @Test
    void aTitleLetInByAcceptAnyIsUnknownAndStatusesAreClassed() {
        CallingAets any = new CallingAets(Set.of("ORTHANC"), true);
        assertEquals("ORTHANC", ScpMeters.callingAet(any, "ORTHANC  "), "padding does not count");
        assertEquals("unknown", ScpMeters.callingAet(any, "INVENTED"));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ScpMeters meters = new ScpMeters(registry);
        meters.stored("ORTHANC", 0x0000);
        meters.stored("ORTHANC", 0xB007);
        meters.stored("unknown", 0xA700);
        meters.failed("ORTHANC");
        meters.received("ORTHANC").accept(1000);
        meters.received("ORTHANC").accept(24);
        String stores = "dicomweb.gateway.scp.stores";
        for (String outcome : new String[] {"success", "warning", "error"}) {
            assertEquals(1, registry.get(stores).tags("calling_aet", "ORTHANC", "outcome", outcome).counter().count(),
                    outcome);
        }
        assertEquals(1, registry.get(stores).tags("calling_aet", "unknown", "outcome", "failure").counter().count());
        assertEquals(1024, registry.get("dicomweb.gateway.scp.received").tags("calling_aet", "ORTHANC").counter()
                .count());
        meters.close();
        assertEquals(0, registry.getMeters().size());
    }
}
