package org.dicomweb.gateway.config;

/**
 * A PACS the gateway talks to, as configured under {@code gateway.aet.<AET>.*}. Timeouts are in milliseconds
 * everywhere, and their keys say so. {@code relationalQueries}: the PACS answers a C-FIND below study level without
 * the unique keys of the levels above (PixelMed cannot negotiate this, so it is configured). {@code aet} names the
 * entry; {@code calledAet} is the AE title the PACS answers to (the same unless configured otherwise).
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
        int maxPduLength,
        boolean relationalQueries,
        String calledAet,
        RetrieveStrategy retrieveStrategy,
        MoveRouting moveRouting,
        int maxConcurrentRetrieves,
        int maxConcurrentStores) {
}
