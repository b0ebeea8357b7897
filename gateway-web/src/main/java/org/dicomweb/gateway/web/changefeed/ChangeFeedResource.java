package org.dicomweb.gateway.web.changefeed;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.dicomweb.gateway.changefeed.ChangeFeedJson;
import org.dicomweb.gateway.changefeed.ChangeFeedService;
import org.dicomweb.gateway.error.InvalidRequestException;

/**
 * {@code /changefeed} (docs/jobs.md, "Change feed"): the instances that entered the gateway, in sequence order, as the
 * Microsoft DICOM server's change feed offers them. A follower keeps the last sequence it processed and asks for what
 * came after it.
 */
@RequestScoped
@Path("/changefeed")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeFeedResource {

    @Inject
    ChangeFeedService feed;

    /** {@code ?after=<sequence>&limit=<n>}: the entries after that sequence (default 0: from the start). */
    @GET
    public JsonArray read(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        long from = number("after", after, 0);
        if (from < 0) {
            throw new InvalidRequestException("after must be a sequence (0 or more), not " + from);
        }
        long count = number("limit", limit, ChangeFeedService.DEFAULT_LIMIT);
        if (count < 1 || count > ChangeFeedService.MAX_LIMIT) {
            throw new InvalidRequestException("limit must be 1 to " + ChangeFeedService.MAX_LIMIT + ", not " + count);
        }
        JsonArrayBuilder entries = Json.createArrayBuilder();
        feed.after(from, (int) count).forEach(entry -> entries.add(ChangeFeedJson.entry(entry)));
        return entries.build();
    }

    /** The newest entry; 204 while the feed is empty. */
    @GET
    @Path("/latest")
    public Response latest() {
        return feed.latest().map(entry -> Response.ok(ChangeFeedJson.entry(entry)).build())
                .orElseGet(() -> Response.noContent().build());
    }

    /** A whole number, or the default when the parameter is absent; the range is the service's to check. */
    private static long number(String name, String value, long defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
