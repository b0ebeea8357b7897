package org.dicomweb.gateway.config;

/** The gateway's own Storage SCP: the AE title PACS send to, and where it listens. */
public record ScpSettings(String aet, String bindAddress, int port, int maxPduLength, int dimseTimeoutMs) {
}
