package org.dicomweb.gateway.aets;

/**
 * What the gateway tells clients about one configured PACS, with the state of its association pool: associations
 * open (idle + busy), idle, busy, requests waiting for one, and the pool's size.
 */
public record AeDescription(String aet, String host, int port, String callingAet, int openAssociations,
        int idleAssociations, int busyAssociations, int waitingRequests, int poolSize) {
}
