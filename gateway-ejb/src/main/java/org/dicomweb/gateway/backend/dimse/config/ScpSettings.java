package org.dicomweb.gateway.backend.dimse.config;

/**
 * The gateway's own Storage SCP: the AE title PACS send to, where it listens, and whether it accepts only uncompressed
 * transfer syntaxes (for clients that cannot decode what a PACS holds compressed); and the AE that C-STOREs outside
 * any C-MOVE are stored into ({@code ingestAet}, null: they are refused); the port of its second, TLS-only listener
 * ({@code tlsPort}, 0: none) and the TLS it speaks there ({@code tls}, null when there is no such listener).
 */
public record ScpSettings(String aet, String bindAddress, int port, int maxPduLength, int dimseTimeoutMs,
        boolean uncompressedOnly, String ingestAet, int tlsPort, DicomTls tls) {
}
