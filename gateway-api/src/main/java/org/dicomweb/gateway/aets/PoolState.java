package org.dicomweb.gateway.aets;

/**
 * One of the gateway's association pools to a PACS: what its associations are for ("query", "fuzzy query", "store",
 * or "retrieve" with the transfer syntaxes they propose), associations open (idle + busy), idle and busy, requests
 * waiting for one, and the most it opens.
 */
public record PoolState(String purpose, int open, int idle, int busy, int waiting, int size) {
}
