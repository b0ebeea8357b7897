package org.dicomweb.gateway.error;

/**
 * A configuration change the gateway refuses to apply (a key missing or invalid, an AE naming an unknown backend):
 * 422; the reason names the key, and the configuration in force stays as it was.
 */
public class InvalidConfigurationException extends GatewayException {

    public InvalidConfigurationException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
