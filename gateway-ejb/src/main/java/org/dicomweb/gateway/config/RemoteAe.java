package org.dicomweb.gateway.config;

/**
 * A PACS the gateway talks to, as configured under {@code gateway.aet.<AET>.*}. Timeouts are in milliseconds
 * everywhere, and their keys say so.
 */
public record RemoteAe(
        String aet,
        String host,
        int port,
        String callingAet,
        int poolSize,
        int poolWaitTimeoutMs,
        int connectTimeoutMs,
        int dimseTimeoutMs,
        int idleTimeoutMs,
        int maxPduLength) {
}
