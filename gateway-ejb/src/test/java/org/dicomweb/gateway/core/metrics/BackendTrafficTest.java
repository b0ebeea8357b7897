package org.dicomweb.gateway.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** An upstream's body counts every byte read from it, however it is read, into the AE's own counter only. */
class BackendTrafficTest {

    @Test
    void aCountedBodyCountsEachByteReadOnceAndTheMetersGoAtTheEnd() throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BackendTraffic traffic = new BackendTraffic();
        traffic.registry = registry;
        traffic.start();
        byte[] body = new byte[10_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        BackendTraffic.Counters web = traffic.of("ORTHANC-WEB", "dicomweb");
        assertSame(web, traffic.of("ORTHANC-WEB", "dicomweb"), "built once");
        try (InputStream in = web.counted(new ByteArrayInputStream(body))) {
            byte[] start = new byte[3];
            start[0] = (byte) in.read();
            assertEquals(2, in.read(start, 1, 2));
            assertEquals(100, in.skip(100));
            OutputStream rest = OutputStream.nullOutputStream();
            in.transferTo(rest);
            assertEquals(-1, in.read());
            assertArrayEquals(new byte[] {0, 1, 2}, start);
        }
        traffic.of("S3", "s3").sent().increment(5);
        assertEquals(body.length, registry.get("dicomweb.gateway.backend.received")
                .tags("aet", "ORTHANC-WEB", "backend", "dicomweb").counter().count());
        assertEquals(0, registry.get("dicomweb.gateway.backend.received").tags("aet", "S3").counter().count());
        assertEquals(5, registry.get("dicomweb.gateway.backend.sent").tags("aet", "S3", "backend", "s3").counter()
                .count());
        traffic.stop();
        assertEquals(0, registry.getMeters().size(), "removed from the server's registry at undeployment");
    }
}
