package org.dicomweb.gateway.backend.dimse.config;

/**
 * The gateway's own Storage SCP: the AE title PACS send to, where it listens, and whether it accepts only uncompressed
 * transfer syntaxes (for clients that cannot decode what a PACS holds compressed); and the AE that C-STOREs outside
 * any C-MOVE are stored into ({@code ingestAet}, null: they are refused).
 */
public record ScpSettings(String aet, String bindAddress, int port, int maxPduLength, int dimseTimeoutMs,
        boolean uncompressedOnly, String ingestAet) {
}
