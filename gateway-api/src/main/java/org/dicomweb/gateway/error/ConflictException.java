package org.dicomweb.gateway.error;

/** The request conflicts with what the gateway is doing already (a reindex of the AE is running): 409. */
public class ConflictException extends GatewayException {

    public ConflictException(String reason) {
        super(reason, null);
    }
}
