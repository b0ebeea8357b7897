package org.dicomweb.gateway.web.tasks;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

import org.dicomweb.gateway.access.AccessPolicy;

import org.dicomweb.gateway.error.UnknownTaskException;
import org.dicomweb.gateway.tasks.TaskJson;
import org.dicomweb.gateway.tasks.TaskPage;
import org.dicomweb.gateway.tasks.TaskQuery;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskRequests;
import org.dicomweb.gateway.tasks.TaskService;
import org.dicomweb.gateway.tasks.TaskSubmission;

/**
 * {@code /tasks} (docs/jobs.md): submit a retrieval task (201, or 200 with the existing task for a taskId seen
 * before), list and read tasks, cancel and reschedule one. A submission needs the source's and the destination's
 * task roles (TaskAccess); AccessFilter guards the rest (docs/security.md).
 */
@RequestScoped
@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TasksResource {

    @Inject
    TaskService tasks;

    @Inject
    AccessPolicy access;

    @Context
    UriInfo uri;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        TaskRequest request = TaskRequests.parse(body);
        TaskAccess.require(access, security, request);
        TaskSubmission submission = tasks.submit(request);
        JsonObject task = TaskJson.task(submission.task());
        if (!submission.created()) {
            return Response.ok(task).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(submission.task().taskId()).build()).entity(task)
                .build();
    }

    @GET
    public JsonObject list(@QueryParam("state") String state, @QueryParam("batchId") String batchId,
            @QueryParam("aet") String aet, @QueryParam("createdFrom") String createdFrom,
            @QueryParam("createdTo") String createdTo, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit) {
        TaskQuery query = TaskFilters.query(state, batchId, aet, createdFrom, createdTo, offset, limit);
        TaskPage page = tasks.list(query);
        JsonArrayBuilder list = Json.createArrayBuilder();
        page.tasks().forEach(task -> list.add(TaskJson.task(task)));
        return Json.createObjectBuilder().add("total", page.total()).add("offset", query.offset())
                .add("limit", query.limit()).add("tasks", list).build();
    }

    @GET
    @Path("{id}")
    public JsonObject task(@PathParam("id") String taskId) {
        return TaskJson.task(tasks.find(taskId).orElseThrow(() -> new UnknownTaskException(taskId)));
    }

    @POST
    @Path("{id}/cancel")
    public JsonObject cancel(@PathParam("id") String taskId) {
        return TaskJson.task(tasks.cancel(taskId));
    }

    @POST
    @Path("{id}/reschedule")
    public JsonObject reschedule(@PathParam("id") String taskId) {
        return TaskJson.task(tasks.reschedule(taskId));
    }
}
