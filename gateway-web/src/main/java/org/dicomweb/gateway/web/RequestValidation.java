package org.dicomweb.gateway.web;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.dicomweb.gateway.validation.RequestLimits;
import org.dicomweb.gateway.validation.Uids;

/**
 * Checks what every resource takes before any service sees it, so a bad request never reaches a PACS: the length of
 * the query string (414) and the UIDs of the path (400). Query parameters are the services' to check, by VR.
 */
@Provider
@ApplicationScoped
public class RequestValidation implements ContainerRequestFilter {

    /** The path parameters of the resources that hold UIDs (see StudiesResource). */
    private static final List<String> UID_PARAMETERS = List.of("study", "series", "instance");

    @Inject
    RequestLimits limits;

    @Override
    public void filter(ContainerRequestContext request) {
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null && query.length() > limits.maxQueryLength()) {
            throw new WebApplicationException("the query string is " + query.length() + " characters long, more than "
                    + limits.maxQueryLength() + " (gateway.http.max-query-length)",
                    Response.Status.REQUEST_URI_TOO_LONG);
        }
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters(true);
        for (String name : UID_PARAMETERS) {
            String uid = path.getFirst(name);
            if (uid != null) {
                Uids.require(name + " UID in the path", uid);
            }
        }
    }
}
