package org.dicomweb.gateway.error;

/**
 * An upstream DICOMweb server refused the request with a 4xx status of its own (other than 404): the client gets the
 * same status, and the upstream's reason in the message, since the request was passed on as the client made it.
 */
public class PeerRejectedException extends GatewayException {

    private final int status;

    public PeerRejectedException(int status, String reason) {
        super(reason, null);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("not a client error status: " + status);
        }
        this.status = status;
    }

    /** The upstream's HTTP status, 400..499. */
    public int status() {
        return status;
    }
}
