package org.dicomweb.gateway.backend.dimse.scp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.dicomweb.gateway.backend.dimse.association.AssociationPool;
import org.dicomweb.gateway.backend.dimse.config.CallingAets;
import org.dicomweb.gateway.backend.dimse.config.DimseSettings;
import org.dicomweb.gateway.backend.dimse.config.DimseSettingsReader;
import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * DICOM TLS against real peers: the gateway's associations to scripts/peers.sh's orthanc-tls (TLS only, wants a
 * client certificate), a handshake with a PACS whose certificate is not trusted or that speaks plain DICOM (dcmtk's
 * storescp), and the
 * Storage SCP's TLS listener with dcmtk's storescu +tls as the client. Key material from peers.sh (orthanc-tls/tls).
 */
class DicomTlsIT {

    private static final Path TLS = TestPeers.projectRoot().resolve("work/peers/orthanc-tls/tls");
    private static final int ORTHANC_TLS_PORT = 14244;

    @TempDir
    Path work;

    private final Map<String, String> config = new HashMap<>(Map.of(
            "gateway.aet.ORTHANC-TLS.host", TestPeers.HOST,
            "gateway.aet.ORTHANC-TLS.port", String.valueOf(ORTHANC_TLS_PORT),
            "gateway.aet.ORTHANC-TLS.called-aet", "ORTHANCTLS",
            "gateway.aet.ORTHANC-TLS.tls", "true",
            "gateway.aet.ORTHANC-TLS.connect-timeout-ms", "2000",
            "gateway.tls.keystore", TLS.resolve("gateway-keystore.p12").toString(),
            "gateway.tls.keystore-password", "changeit",
            "gateway.tls.truststore", TLS.resolve("gateway-truststore.p12").toString(),
            "gateway.tls.truststore-password", "changeit"));
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private AssociationPool pool;
    private StorageScp scp;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (scp != null) {
            scp.close();
        }
        threads.shutdownNow();
    }

    private DimseSettings settings() {
        return new DimseSettingsReader(new ConfigValues(key -> Optional.ofNullable(config.get(key))))
                .read(List.of("ORTHANC-TLS"));
    }

    @Test
    void associationsToATlsPacsAreTlsWithTheGatewaysClientCertificate() {
        pool = new AssociationPool(settings().remoteAe("ORTHANC-TLS").orElseThrow());
        // Orthanc (DicomTlsRemoteCertificateRequired) accepts only a client that shows the certificate it trusts
        for (int i = 0; i < 2; i++) {
            pool.execute(association -> {
                association.echo();
                return null;
            });
        }
        assertEquals(1, pool.stats().open(), "the TLS association is pooled and reused");
    }

    /**
     * The idle check reads the TCP connection under TLS without blocking: nothing read from a healthy one (its TLS
     * session goes on), the close of a restarted PACS seen at once (no C-ECHO on it: it would fail the request).
     */
    @Test
    void anIdleTlsAssociationIsReusedAndOneARestartedPacsClosedIsReplaced() {
        pool = new AssociationPool(settings().remoteAe("ORTHANC-TLS").orElseThrow());
        Object first = echo(pool);
        assertSame(first, echo(pool), "the healthy TLS association reused after the idle check");
        TestPeers.stop("orthanc-tls");
        TestPeers.start("orthanc-tls");
        assertNotSame(first, echo(pool), "a new association after the restart, and no error");
        assertEquals(1, pool.stats().open());
    }

    private static Object echo(AssociationPool pool) {
        return pool.execute(association -> {
            association.echo();
            return association;
        });
    }

    @Test
    void aPacsCertificateNotInTheTruststoreFailsTheHandshakeWithTheReason() {
        config.put("gateway.tls.truststore", TLS.resolve("stranger.p12").toString());
        pool = new AssociationPool(settings().remoteAe("ORTHANC-TLS").orElseThrow());
        GatewayException e = assertThrows(GatewayException.class, () -> pool.execute(association -> {
            association.echo();
            return null;
        }));
        assertTrue(e.getMessage().startsWith("ORTHANC-TLS at 127.0.0.1:" + ORTHANC_TLS_PORT
                + ": TLS handshake failed: certificate not trusted"), e.getMessage());
        assertEquals(0, pool.stats().open(), "nothing left open");
    }

    @Test
    void aPacsThatDoesNotTrustTheGatewaysCertificateRefusesIt() {
        config.put("gateway.tls.keystore", TLS.resolve("stranger-keystore.p12").toString());
        pool = new AssociationPool(settings().remoteAe("ORTHANC-TLS").orElseThrow());
        GatewayException e = assertThrows(GatewayException.class, () -> pool.execute(association -> {
            association.echo();
            return null;
        }));
        assertTrue(e.getMessage().startsWith("ORTHANC-TLS at 127.0.0.1:" + ORTHANC_TLS_PORT + ": "), e.getMessage());
        // Orthanc (OpenSSL) ends the connection without an alert
        assertTrue(e.getMessage().contains("TLS handshake failed: ORTHANC-TLS ended the connection during the handshake")
                && e.getMessage().contains("(gateway.tls.keystore)"), e.getMessage());
        assertEquals(0, pool.stats().open(), "nothing left open");
    }

    @Test
    void aPlainDicomPeerFailsTheHandshake() throws Exception {
        int port = ScpPeers.freePort();
        // dcmtk's storescp: a real DICOM SCP on plain TCP
        Process storescp = new ProcessBuilder("storescp", "-od", work.toString(), String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile()).start();
        try {
            awaitListening(port);
            config.put("gateway.aet.ORTHANC-TLS.port", String.valueOf(port));
            pool = new AssociationPool(settings().remoteAe("ORTHANC-TLS").orElseThrow());
            long start = System.nanoTime();
            GatewayException e = assertThrows(GatewayException.class, () -> pool.execute(association -> {
                association.echo();
                return null;
            }));
            assertTrue(e.getMessage().startsWith("ORTHANC-TLS at 127.0.0.1:" + port + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("TLS handshake"), e.getMessage());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2_000 + 1_500,
                    "within the connect timeout: " + e.getMessage());
            assertEquals(0, pool.stats().open(), "nothing left open");
        } finally {
            storescp.destroy();
            assertTrue(storescp.waitFor(10, TimeUnit.SECONDS), "storescp ended");
        }
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket(TestPeers.HOST, port)) {
                return;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("storescp not listening on " + port + " after 10 s", notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void missingKeyMaterialFailsNamingTheKey() {
        config.remove("gateway.tls.truststore");
        ConfigurationException e = assertThrows(ConfigurationException.class, this::settings);
        assertEquals("configuration key 'gateway.tls.truststore' is missing (gateway.aet.ORTHANC-TLS.tls is true)",
                e.getMessage());
        config.put("gateway.tls.truststore", TLS.resolve("gateway-truststore.p12").toString());
        config.put("gateway.tls.truststore-password", "wrong");
        e = assertThrows(ConfigurationException.class, this::settings);
        assertTrue(e.getMessage().startsWith("configuration key 'gateway.tls.truststore' is '"), e.getMessage());
    }

    @Test
    void theStorageScpsTlsPortTakesTlsClientsOnly() throws Exception {
        int plainPort = ScpPeers.freePort();
        int tlsPort = ScpPeers.freePort();
        config.put("gateway.scp.bind-address", "127.0.0.1");
        config.put("gateway.scp.port", String.valueOf(plainPort));
        config.put("gateway.scp.tls-port", String.valueOf(tlsPort));
        config.put("gateway.scp.dimse-timeout-ms", "3000");
        scp = new StorageScp(settings().scp(), threads, new MoveRouter(), null,
                () -> new CallingAets(Set.of("STORESCU"), false), new ScpMeters(new SimpleMeterRegistry()));
        scp.start();
        try (ScpPeers.ScpLog log = new ScpPeers.ScpLog()) {
            List<LogRecord> warnings = log.records();
            String file = ScpPeers.instance(work.resolve("tls.dcm"), "1.2.826.0.1.3680043.2.1125.99.1").toString();
            String tls = ScpPeers.run("storescu", "-v", "+tls", TLS.resolve("orthanc.key").toString(),
                    TLS.resolve("orthanc.crt").toString(), "+cf", TLS.resolve("gateway.crt").toString(),
                    "-aet", "STORESCU", "-aec", "DICOMWEB", TestPeers.HOST, String.valueOf(tlsPort), file);
            // associated over TLS, the C-STORE answered (refused: no C-MOVE waits for it and there is no ingest AE)
            assertTrue(tls.contains("Received Store Response (Refused: OutOfResources)"), tls);
            assertTrue(ScpPeers.run("echoscu", "-v", "+tls", TLS.resolve("orthanc.key").toString(),
                    TLS.resolve("orthanc.crt").toString(), "+cf", TLS.resolve("gateway.crt").toString(),
                    "-aet", "NOBODY", "-aec", "DICOMWEB", TestPeers.HOST, String.valueOf(tlsPort))
                    .contains("Calling AE Title Not Recognized"), "the calling AE check holds on the TLS port too");

            String plain = ScpPeers.run("echoscu", "-to", "5", "-ta", "5", "-aet", "STORESCU", "-aec", "DICOMWEB",
                    TestPeers.HOST, String.valueOf(tlsPort));
            assertFalse(plain.contains("Received Echo Response"), plain);
            String stranger = ScpPeers.run("echoscu", "-v", "+tls", TLS.resolve("stranger.key").toString(),
                    TLS.resolve("stranger.crt").toString(), "+cf", TLS.resolve("gateway.crt").toString(),
                    "-aet", "STORESCU", "-aec", "DICOMWEB", TestPeers.HOST, String.valueOf(tlsPort));
            assertFalse(stranger.contains("Received Echo Response"), "an untrusted client certificate: " + stranger);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (warnings.stream().noneMatch(r -> r.getMessage().contains("certificate not trusted"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(warnings.stream().anyMatch(r -> r.getMessage().startsWith("DICOM TLS connection from /127.0.0.1:")
                    && r.getMessage().contains("certificate not trusted")), warnings.stream()
                    .map(LogRecord::getMessage).toList().toString());

            assertTrue(ScpPeers.run("echoscu", "-v", "-aet", "STORESCU", "-aec", "DICOMWEB", TestPeers.HOST,
                    String.valueOf(plainPort)).contains("Received Echo Response (Success)"), "the plain port stays");
        }
    }
}
