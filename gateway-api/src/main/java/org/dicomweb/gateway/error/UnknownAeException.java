package org.dicomweb.gateway.error;

/** The request names an AE title the gateway has no configuration for. */
public class UnknownAeException extends GatewayException {

    public UnknownAeException(String aet) {
        super("unknown AE title '" + aet + "': not listed in gateway.aets", null);
    }
}
