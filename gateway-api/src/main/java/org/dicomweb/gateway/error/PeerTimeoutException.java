package org.dicomweb.gateway.error;

/** The PACS did not answer in time, or no association to it became free in time. */
public class PeerTimeoutException extends GatewayException {

    public PeerTimeoutException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
