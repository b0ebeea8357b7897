package org.dicomweb.gateway.wado;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** WADO-RS retrieval of instances from one PACS. */
public interface WadoService {

    /**
     * Validates the request at once, then retrieves on the DIMSE executor. The stage completes when the first
     * instance is arriving, or fails with a {@link org.dicomweb.gateway.error.GatewayException} (nothing found, PACS
     * failure, timeout) before anything was sent.
     */
    CompletionStage<RetrievedInstances> retrieve(String aet, WadoRequest request);

    /**
     * The transfer syntax UIDs a retrieval may be asked for, besides {@link WadoRequest#ANY_TRANSFER_SYNTAX}. A
     * backend delivers each instance in the one asked where it (or its PACS) can, else as held, each part's content
     * type naming its syntax; the core asks a backend for "*" when its list lacks the syntax and transcodes every part
     * that arrives in another. The service the web layer gets lists what the core can produce from any source: a
     * request for another is refused by the HTTP layer (406) before it reaches a PACS.
     */
    List<String> transferSyntaxes(String aet);
}
