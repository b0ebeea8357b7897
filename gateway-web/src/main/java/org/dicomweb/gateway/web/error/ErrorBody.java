package org.dicomweb.gateway.web.error;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error format of the whole API: {"status": 502, "error": "Bad Gateway", "reason": "..."}. */
public final class ErrorBody {

    private ErrorBody() {
    }

    public static Response response(Response.StatusType status, String reason) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder()
                        .add("status", status.getStatusCode())
                        .add("error", status.getReasonPhrase())
                        .add("reason", reason == null ? status.getReasonPhrase() : reason)
                        .build())
                .build();
    }
}
