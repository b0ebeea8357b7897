package org.dicomweb.gateway.error;

/** The PACS has nothing that matches the request. */
public class NotFoundInPacsException extends GatewayException {

    public NotFoundInPacsException(String reason) {
        super(reason, null);
    }
}
