package org.dicomweb.gateway.aets;

/** A successful C-ECHO: who answered and how long it took (association set-up included when none was idle). */
public record EchoResult(String aet, double roundTripMs) {
}
