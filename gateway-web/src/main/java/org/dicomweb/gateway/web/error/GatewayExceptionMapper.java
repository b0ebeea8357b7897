package org.dicomweb.gateway.web.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.error.UnknownAeException;

/** Maps each kind of gateway failure to its HTTP status; the exception's message is the reason. */
@Provider
public class GatewayExceptionMapper implements ExceptionMapper<GatewayException> {

    @Override
    public Response toResponse(GatewayException e) {
        return ErrorBody.response(statusOf(e), e.getMessage());
    }

    static Status statusOf(GatewayException e) {
        if (e instanceof UnknownAeException) {
            return Status.NOT_FOUND;
        }
        if (e instanceof PeerTimeoutException) {
            return Status.GATEWAY_TIMEOUT;
        }
        if (e instanceof PeerFailureException) {
            return Status.BAD_GATEWAY;
        }
        return Status.INTERNAL_SERVER_ERROR;
    }
}
