package org.dicomweb.gateway.qido;

import java.util.concurrent.CompletionStage;

/** QIDO-RS searches against one PACS. */
public interface QidoService {

    /**
     * Validates the request at once (throwing {@link org.dicomweb.gateway.error.InvalidRequestException} or
     * {@link org.dicomweb.gateway.error.UnknownAeException}), then runs the search on the DIMSE executor. The stage
     * completes when the first C-FIND response has arrived, or fails with a
     * {@link org.dicomweb.gateway.error.GatewayException} saying why.
     */
    CompletionStage<QidoResult> search(String aet, QidoRequest request);
}
