package org.dicomweb.gateway.web.status;

import java.io.InputStream;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * {@code /status/*}: the tasks status page (docs/jobs.md#status-page), plain files from the WAR's class path. JAX-RS owns
 * every path of the WAR ({@code @ApplicationPath("/")}), so the files are served here rather than by the servlet
 * container. Only the files listed are served, each with its own type. The page is a static shell that reads
 * everything through {@code GET /tasks}, so the headers keep a browser from holding an old copy after a redeploy,
 * and the Content-Security-Policy allows only this origin's script and style: even a bug that put server data into
 * the DOM as markup could not run it.
 */
@ApplicationScoped
@Path("/status")
public class StatusPageResource {

    private static final String UTF8 = ";charset=UTF-8";
    private static final Map<String, PageFile> FILES = Map.of(
            "tasks", new PageFile("tasks.html", "text/html" + UTF8),
            "tasks.js", new PageFile("tasks.js", "text/javascript" + UTF8),
            "tasks.css", new PageFile("tasks.css", "text/css" + UTF8));
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private record PageFile(String resource, String type) {
    }

    @GET
    @Path("{name}")
    public Response file(@PathParam("name") String name) {
        PageFile file = FILES.get(name);
        InputStream body = file == null ? null : StatusPageResource.class.getResourceAsStream(file.resource());
        if (body == null) {
            throw new NotFoundException("no status page file '" + name + "'; the tasks page is /status/tasks");
        }
        return Response.ok(body, file.type())
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
