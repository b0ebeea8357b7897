package org.dicomweb.gateway.aets;

/** What the gateway tells clients about one configured PACS. */
public record AeDescription(String aet, String host, int port, String callingAet) {
}
