package org.dicomweb.gateway.aets;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** The configured PACS and their verification; backed by DIMSE. */
public interface AeService {

    List<AeDescription> list();

    /**
     * Sends a C-ECHO to the AE on the DIMSE executor. The stage fails with an
     * {@link org.dicomweb.gateway.error.GatewayException} saying why, at the latest when the AE's timeouts (pool wait,
     * connect, DIMSE) have passed: waiting on it is bounded.
     */
    CompletionStage<EchoResult> echo(String aet);
}
