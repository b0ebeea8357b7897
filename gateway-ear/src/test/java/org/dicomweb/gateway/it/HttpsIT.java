package org.dicomweb.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.dicomweb.gateway.testpeers.TestPeers;

/**
 * HTTPS on WildFly's https listener (wildfly-config/gateway.cli) with the self-signed keystore that
 * scripts/https-keystore.sh makes and arquillian.xml hands to the server: a client that trusts that certificate gets
 * the same answer as over http, the server presents exactly that certificate, TLS 1.3 and 1.2 are accepted, TLS 1.1
 * and 1.0 refused (a ClientHello written byte by byte, because the JDK's own client refuses to offer them), TLS 1.2
 * only with BCP 195's AEAD suites with forward secrecy (a CBC suite is refused), and a client with only the JDK's
 * public CAs refuses the self-signed certificate.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpsIT extends DeployedGateway {

    private static final String HOST = "localhost";
    private static final int PORT = 8443;
    private static final String AETS_PATH = "/dicomweb/aets";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final byte HANDSHAKE = 22;
    private static final byte ALERT = 21;
    private static final byte PROTOCOL_VERSION_ALERT = 70;

    @Test
    void aClientTrustingTheGeneratedCertificateGetsWhatHttpGives() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trustingTheKeystore()).connectTimeout(DEADLINE).build();
        HttpResponse<String> secure = https.send(HttpRequest.newBuilder(URI.create("https://" + HOST + ":" + PORT
                + AETS_PATH)).timeout(DEADLINE).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, secure.statusCode(), secure.body());
        assertEquals("TLSv1.3", secure.sslSession().orElseThrow().getProtocol(), "the best protocol both offer");
        Http.Reply plain = Http.get(Http.GATEWAY + "/aets");
        assertEquals(200, plain.status(), "http on 8080 still serves: " + plain.body());
        assertEquals(plain.body(), secure.body());
    }

    @Test
    void theServerPresentsTheKeystoresCertificate() throws Exception {
        try (SSLSocket socket = connect(trustingTheKeystore(), "TLSv1.3")) {
            Certificate presented = socket.getSession().getPeerCertificates()[0];
            assertArrayEquals(keystore().getCertificate("gateway").getEncoded(), presented.getEncoded());
        }
    }

    @Test
    void aClientWithOnlyThePublicCasRefusesTheSelfSignedCertificate() throws Exception {
        SSLContext defaults = SSLContext.getInstance("TLS");
        defaults.init(null, null, null);
        assertThrows(SSLHandshakeException.class, () -> connect(defaults, "TLSv1.3").close());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void acceptsTls13And12(String protocol) throws Exception {
        try (SSLSocket socket = connect(trustingTheKeystore(), protocol)) {
            assertEquals(protocol, socket.getSession().getProtocol());
            socket.getOutputStream().write(("GET " + AETS_PATH + " HTTP/1.1\r\nHost: " + HOST + ":" + PORT
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(reply.startsWith("HTTP/1.1 200"), reply);
        }
    }

    /** BCP 195 (RFC 9325 §4.2): an AEAD suite with ephemeral ECDH, for the demo key's EC P-256, is accepted. */
    @Test
    void tls12AcceptsAnAeadSuiteWithForwardSecrecy() throws Exception {
        String gcm = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        try (SSLSocket socket = connect(trustingTheKeystore(), "TLSv1.2", gcm)) {
            assertEquals(gcm, socket.getSession().getCipherSuite());
        }
    }

    /**
     * The JDK's default server suites include CBC ones: the context's cipher-suite-filter must leave them out, so the
     * server finds no suite in common (the same client as above but for the suite).
     */
    @Test
    void tls12RefusesACbcSuite() {
        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> connect(trustingTheKeystore(),
                "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close());
        assertTrue(String.valueOf(refused.getMessage()).contains("handshake_failure"), refused.toString());
    }

    /** The same handwritten ClientHello with version TLS 1.2 gets a ServerHello: the refusal below is the version's. */
    @Test
    void aHandwrittenTls12HelloIsAnsweredWithAServerHello() throws IOException {
        byte[] reply = helloReply(0x0303);
        assertEquals(HANDSHAKE, reply[0], "a handshake record");
        assertEquals(2, reply[5], "a ServerHello");
        assertEquals(0x0303, ((reply[9] & 0xff) << 8) | (reply[10] & 0xff), "version TLS 1.2");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0302, 0x0301})
    void refusesTls11And10(int version) throws IOException {
        byte[] reply = helloReply(version);
        assertTrue(reply.length == 0 || reply[0] == ALERT, "no handshake for version " + Integer.toHexString(version)
                + ", the server answered a record of type " + (reply.length == 0 ? "none" : reply[0]));
        if (reply.length > 0) {
            assertEquals(PROTOCOL_VERSION_ALERT, reply[6], "a protocol_version alert");
        }
    }

    /** A handshake offering only {@code protocol} and, if any are given, only {@code suites}. */
    private static SSLSocket connect(SSLContext context, String protocol, String... suites) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress(HOST, PORT), (int) DEADLINE.toMillis());
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.setEnabledProtocols(new String[] {protocol});
            if (suites.length > 0) {
                socket.setEnabledCipherSuites(suites);
            }
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The first record the server sends (header and body; empty if it closes) after a hello of {@code version}. */
    private static byte[] helloReply(int version) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), (int) DEADLINE.toMillis());
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.getOutputStream().write(clientHello(version));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            try {
                in.readFully(header);
            } catch (EOFException closed) {
                return new byte[0];
            }
            byte[] body = new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)];
            in.readFully(body);
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            record.write(header);
            record.write(body);
            return record.toByteArray();
        }
    }

    /**
     * A ClientHello (RFC 5246 §7.4.1.2) with ECDHE-ECDSA suites (the key is EC P-256) for TLS 1.2 and below, and the
     * extensions TLS 1.2 needs for them; no supported_versions extension, so {@code version} is the highest offered.
     */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        u16(hello, version);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        hello.writeBytes(random);
        hello.write(0); // no session id
        int[] suites = {0xC02B, 0xC02C, 0xC009, 0xC00A}; // ECDHE_ECDSA with AES-GCM (TLS 1.2), AES-CBC-SHA (1.0+)
        u16(hello, suites.length * 2);
        for (int suite : suites) {
            u16(hello, suite);
        }
        hello.write(1);
        hello.write(0); // compression: none
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        extension(extensions, 0x000a, new byte[] {0, 2, 0, 0x17}); // supported_groups: secp256r1
        extension(extensions, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
        extension(extensions, 0x000d, new byte[] {0, 4, 4, 3, 6, 3}); // signature_algorithms: ecdsa sha256, sha512
        byte[] name = HOST.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream serverName = new ByteArrayOutputStream();
        u16(serverName, name.length + 3);
        serverName.write(0);
        u16(serverName, name.length);
        serverName.writeBytes(name);
        extension(extensions, 0x0000, serverName.toByteArray());
        u16(hello, extensions.size());
        hello.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1); // client_hello
        handshake.write(0);
        u16(handshake, hello.size());
        handshake.writeBytes(hello.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(HANDSHAKE);
        u16(record, 0x0301); // the record version clients send with a first hello
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value);
    }

    private static SSLContext trustingTheKeystore() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keystore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The keystore the server was started with (arquillian.xml); test.sh makes it before the suite. */
    private static KeyStore keystore() throws Exception {
        Path path = TestPeers.projectRoot().resolve("work/https/gateway-https.p12");
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: scripts/https-keystore.sh makes it (scripts/test.sh"
                    + " runs it before the suite, and the server must start with it)");
        }
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            keystore.load(in, "gateway-demo".toCharArray());
        }
        return keystore;
    }
}
