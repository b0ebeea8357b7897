package org.dicomweb.gateway.web.error;

import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.error.ConflictException;
import org.dicomweb.gateway.error.GatewayBusyException;
import org.dicomweb.gateway.error.GatewayException;
import org.dicomweb.gateway.error.InvalidConfigurationException;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.NotAcceptableException;
import org.dicomweb.gateway.error.NotFoundInPacsException;
import org.dicomweb.gateway.error.PeerFailureException;
import org.dicomweb.gateway.error.PeerRejectedException;
import org.dicomweb.gateway.error.PeerTimeoutException;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.error.UnknownTaskException;
import org.dicomweb.gateway.web.Warnings;

/** Maps each kind of gateway failure to its HTTP status; the exception's message is the reason. */
@Provider
public class GatewayExceptionMapper implements ExceptionMapper<GatewayException> {

    /** A configuration the gateway refuses to apply (RFC 9110 §15.5.21). */
    static final int UNPROCESSABLE_CONTENT = 422;

    @Override
    public Response toResponse(GatewayException e) {
        if (e instanceof PeerRejectedException rejected) {
            // An upstream's own 4xx (its status may have no Status constant, e.g. 422)
            return ErrorBody.response(clientError(rejected.status()), e.getMessage());
        }
        if (e instanceof InvalidConfigurationException) {
            return ErrorBody.response(clientError(UNPROCESSABLE_CONTENT), e.getMessage());
        }
        Status status = statusOf(e);
        Response response = ErrorBody.response(status, e.getMessage());
        if (status == Status.BAD_GATEWAY || status == Status.GATEWAY_TIMEOUT) {
            // DICOMweb clients look for the PACS's trouble in a Warning header (PS3.18 §8.6).
            response.getHeaders().add("Warning", Warnings.header(e.getMessage()));
        }
        return response;
    }

    /** A 4xx status, also one without a Status constant (JAX-RS has none for 422). */
    private static Response.StatusType clientError(int code) {
        Response.StatusType status = Status.fromStatusCode(code);
        return status != null ? status : new Response.StatusType() {
            @Override
            public int getStatusCode() {
                return code;
            }

            @Override
            public Response.Status.Family getFamily() {
                return Response.Status.Family.CLIENT_ERROR;
            }

            @Override
            public String getReasonPhrase() {
                return code == UNPROCESSABLE_CONTENT ? "Unprocessable Content" : "Client Error";
            }
        };
    }

    static Status statusOf(GatewayException e) {
        if (e instanceof UnknownAeException || e instanceof NotFoundInPacsException
                || e instanceof UnknownTaskException) {
            return Status.NOT_FOUND;
        }
        if (e instanceof NotAcceptableException) {
            return Status.NOT_ACCEPTABLE;
        }
        if (e instanceof InvalidRequestException) {
            return Status.BAD_REQUEST;
        }
        if (e instanceof ConflictException) {
            return Status.CONFLICT;
        }
        if (e instanceof GatewayBusyException) {
            return Status.SERVICE_UNAVAILABLE;
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
