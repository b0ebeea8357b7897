package org.dicomweb.gateway.backend.dimse.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.dicomweb.gateway.core.config.ConfigValues;
import org.dicomweb.gateway.core.config.ConfigurationException;

/**
 * DICOM TLS (PS3.15 Annex B.9, the BCP 195 TLS Secure Transport Connection Profile) with the gateway's key material
 * ({@code gateway.tls.*}): TLS 1.3 and 1.2 only, the BCP 195 (RFC 9325) AEAD cipher suites with forward secrecy, the
 * peer's certificate checked against the truststore (its chain and validity dates; DICOM nodes are identified by
 * their certificates, not host names), the gateway's own certificate from the keystore as server certificate and,
 * when a PACS asks for one, as client certificate. Equal when read from the same keys, so that a configuration read
 * again compares equal where TLS did not change.
 */
public final class DicomTls {

    static final String KEYSTORE = "gateway.tls.keystore";
    static final String KEYSTORE_PASSWORD = "gateway.tls.keystore-password";
    static final String KEYSTORE_TYPE = "gateway.tls.keystore-type";
    static final String TRUSTSTORE = "gateway.tls.truststore";
    static final String TRUSTSTORE_PASSWORD = "gateway.tls.truststore-password";

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * BCP 195 (RFC 9325 §4.2) for TLS 1.2; TLS 1.3's own suites are all AEAD. In order of preference. The https
     * listener's gatewayHttpsSSC (wildfly-config/gateway.cli) lists the same suites: change both together.
     */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");

    /** Where the key material comes from: what makes two readings equal. */
    private record Source(String keystore, String keystorePassword, String type, String truststore,
            String truststorePassword) {
    }

    private final Source source;
    private final SSLContext context;
    private final String[] cipherSuites;

    private DicomTls(Source source, SSLContext context) {
        this.source = source;
        this.context = context;
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        this.cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    /**
     * Reads and loads the key material; {@code why} says what needs it. The truststore is always required (without it
     * no PACS could be authenticated); the keystore only if {@code needsOwnCertificate} (the TLS listener), else a
     * gateway without one presents no client certificate.
     */
    static DicomTls read(ConfigValues values, boolean needsOwnCertificate, String why) {
        String type = values.string(KEYSTORE_TYPE, "PKCS12");
        Source source = new Source(
                needsOwnCertificate ? values.required(KEYSTORE, why) : values.optional(KEYSTORE).orElse(null),
                values.string(KEYSTORE_PASSWORD, ""), type, values.required(TRUSTSTORE, why),
                values.string(TRUSTSTORE_PASSWORD, ""));
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (source.keystore() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(load(KEYSTORE, source.keystore(), source.keystorePassword(), type),
                        source.keystorePassword().toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(TRUSTSTORE, source.truststore(), source.truststorePassword(), type));
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new DicomTls(source, context);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(KEYSTORE, "(with " + KEYSTORE_PASSWORD + ") cannot give the TLS key: "
                    + e.getMessage());
        }
    }

    private static KeyStore load(String key, String path, String password, String type) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(key, "is '" + path + "', which cannot be read as a " + type
                    + " store with its password (" + key + "-password, " + KEYSTORE_TYPE + "): " + e);
        }
    }

    /** A TLS client socket over a connected one (closing it closes that too), not yet handshaken. */
    public SSLSocket clientSocket(Socket connected, String host, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        restrict(socket);
        return socket;
    }

    /**
     * An unbound TLS server socket: a client certificate is asked for and, if one is sent, must be trusted; a client
     * without one is accepted (its AE title is checked as on the plain port).
     */
    public SSLServerSocket serverSocket() throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.setEnabledProtocols(PROTOCOLS);
        socket.setEnabledCipherSuites(cipherSuites);
        socket.setWantClientAuth(true);
        return socket;
    }

    private void restrict(SSLSocket socket) {
        socket.setEnabledProtocols(PROTOCOLS);
        socket.setEnabledCipherSuites(cipherSuites);
    }

    /** The protocols and cipher suites offered, for the log. */
    public String profile() {
        return String.join("/", PROTOCOLS) + " " + Arrays.toString(cipherSuites);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DicomTls tls && source.equals(tls.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source);
    }

    @Override
    public String toString() {
        return "DicomTls[keystore=" + source.keystore() + ", truststore=" + source.truststore() + "]";
    }
}
