package org.dicomweb.gateway.error;

/** The client's request is malformed: which part and why are in the message. */
public class InvalidRequestException extends GatewayException {

    public InvalidRequestException(String reason) {
        super(reason, null);
    }
}
