package org.dicomweb.gateway.web.tasks;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.dicomweb.gateway.access.AccessPolicy;
import org.dicomweb.gateway.aets.AeDescription;
import org.dicomweb.gateway.aets.AeService;
import org.dicomweb.gateway.error.UnknownAeException;
import org.dicomweb.gateway.tasks.TaskJson;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskService;
import org.dicomweb.gateway.tasks.TaskSubmission;
import org.dicomweb.gateway.tasks.inference.InferenceRequest;
import org.dicomweb.gateway.tasks.inference.InferenceRequests;

/**
 * {@code POST /inference}: an ACR DSI inference request as MONAI's Informatics Gateway takes it, mapped onto tasks
 * ({@link InferenceRequests}, docs/jobs.md). 201 with {@code {"transactionID", "tasks": [task...]}} when it created
 * tasks; 200 with the existing tasks when the transactionID was seen before (never run twice). Every AE it names is
 * checked before any task is created, so that a request naming one unknown AE creates none (404), and so is the
 * caller's right to ask each task (403: none created; docs/security.md).
 */
@RequestScoped
@Path("/inference")
public class InferenceResource {

    @Inject
    TaskService tasks;

    @Inject
    AeService aes;

    @Inject
    AccessPolicy access;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        InferenceRequest request = InferenceRequests.parse(body);
        Set<String> configured = aes.list().stream().map(AeDescription::aet).collect(Collectors.toSet());
        request.tasks().stream().flatMap(task -> Stream.of(task.source(), task.destination()))
                .filter(aet -> !configured.contains(aet)).findFirst().ifPresent(aet -> {
                    throw new UnknownAeException(aet);
                });
        request.tasks().forEach(task -> TaskAccess.require(access, security, task));
        JsonArrayBuilder submitted = Json.createArrayBuilder();
        boolean created = false;
        for (TaskRequest task : request.tasks()) {
            TaskSubmission submission = tasks.submit(task);
            created |= submission.created();
            submitted.add(TaskJson.task(submission.task()));
        }
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(Json.createObjectBuilder().add("transactionID", request.transactionId())
                        .add("tasks", submitted).build()).build();
    }
}
