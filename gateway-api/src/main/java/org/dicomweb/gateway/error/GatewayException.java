package org.dicomweb.gateway.error;

/**
 * A failure the gateway reports to its clients. Each subclass stands for one kind of outcome, which the HTTP layer
 * maps to one status; the message is the one-line reason clients see, so it must never carry a stack trace.
 */
public abstract class GatewayException extends RuntimeException {

    protected GatewayException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
