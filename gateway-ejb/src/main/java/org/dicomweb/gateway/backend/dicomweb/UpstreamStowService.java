package org.dicomweb.gateway.backend.dicomweb;

import org.dicomweb.gateway.stow.StowService;
import org.dicomweb.gateway.stow.StowTransaction;

/**
 * STOW-RS passed on: one upstream POST per request, its body produced as the client's parts are read; the exchange
 * runs on the gateway's executor (the thread that sends the request headers and reads the answer).
 */
final class UpstreamStowService implements StowService {

    private final Upstreams upstreams;

    UpstreamStowService(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public StowTransaction begin(String aet, String studyUid) {
        return new UpstreamStowTransaction(upstreams.of(aet), upstreams.executor(), studyUid,
                upstreams.gateway().stalledClientTimeoutMs());
    }
}
