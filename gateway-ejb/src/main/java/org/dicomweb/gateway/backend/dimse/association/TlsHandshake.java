package org.dicomweb.gateway.backend.dimse.association;

import java.io.IOException;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLSocket;

/** The TLS handshake of a DICOM association, either side, and a one-line reason when it fails. */
public final class TlsHandshake {

    private static final String ALERT = "Received fatal alert: ";

    private TlsHandshake() {
    }

    /**
     * Handshakes with no read waiting longer than {@code timeoutMs} (a peer that says nothing, e.g. a plain DICOM
     * SCP waiting for an A-ASSOCIATE-RQ, fails by then), and puts the socket's own read timeout back.
     */
    public static void run(SSLSocket socket, int timeoutMs) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMs);
        socket.startHandshake();
        socket.setSoTimeout(timeout);
    }

    /** Why a handshake failed, in the words an administrator acts on; {@code peer} names the other side. */
    public static String reason(IOException e, String peer) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GeneralSecurityException) {
                return "certificate not trusted: " + peer + "'s certificate does not chain to the gateway's truststore"
                        + " (gateway.tls.truststore): " + t.getMessage();
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith(ALERT)) {
            String alert = message.substring(ALERT.length());
            return peer + " refused the handshake (alert " + alert + ")"
                    + (alert.contains("certificate") || alert.contains("unknown_ca")
                    ? ": it does not trust the gateway's certificate (gateway.tls.keystore), or wants one" : "");
        }
        if (message.contains("Unsupported or unrecognized SSL message")) {
            return peer + " does not speak TLS here (" + message + ")";
        }
        // OpenSSL-based peers (dcmtk, Orthanc) close the connection without an alert when they refuse a certificate
        return peer + " ended the connection during the handshake (" + message + "): it may not speak TLS here, or"
                + " not accept the gateway's certificate (gateway.tls.keystore)";
    }
}
