package org.dicomweb.gateway.error;

/** The PACS refused, rejected, aborted or answered with a failure status. */
public class PeerFailureException extends GatewayException {

    public PeerFailureException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
