package org.dicomweb.gateway.backend.dimse.config;

/**
 * A PACS the gateway talks to, as configured under {@code gateway.aet.<AET>.*}. Timeouts are in milliseconds
 * everywhere, and their keys say so. {@code relationalQueries}: whether C-FINDs below study level may leave out the
 * unique keys of the levels above (see {@link RelationalQueries}). {@code aet} names the
 * entry; {@code calledAet} is the AE title the PACS answers to (the same unless configured otherwise). {@code tls}:
 * how associations to it are secured ({@code gateway.aet.<AET>.tls=true}), null: plain TCP. {@code echoAfterIdleMs}:
 * an idle association silent for longer than this gets a C-ECHO before it is reused (see AssociationPool).
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
        int echoAfterIdleMs,
        int maxPduLength,
        RelationalQueries relationalQueries,
        String calledAet,
        RetrieveStrategy retrieveStrategy,
        MoveRouting moveRouting,
        int maxConcurrentRetrieves,
        int maxConcurrentStores,
        DicomTls tls) {
}
