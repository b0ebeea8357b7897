package org.dicomweb.gateway.error;

/** The gateway itself has no capacity left for the request (its DIMSE executor is full). */
public class GatewayBusyException extends GatewayException {

    public GatewayBusyException(String reason) {
        super(reason, null);
    }
}
