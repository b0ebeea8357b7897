package org.dicomweb.gateway.web.tasks;

import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.SecurityContext;

import org.dicomweb.gateway.access.AccessDecision;
import org.dicomweb.gateway.access.AccessPolicy;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.web.access.AccessFilter;

/**
 * The per-AE part of a task submission's access check, which only the body tells (AccessFilter has let the caller
 * in to {@code /tasks} already): the source AE's {@code tasks} roles and the destination's {@code roles.destination}.
 * Tasks asked by JMS are trusted: whoever may send to the queue is the server's administrator's choice.
 */
final class TaskAccess {

    private TaskAccess() {
    }

    /** 403 with the reason (no task is created) unless the caller may ask this task. */
    static void require(AccessPolicy policy, SecurityContext security, TaskRequest task) {
        AccessDecision decision = policy.checkTask(AccessFilter.callerOf(security), task.source(),
                task.destination());
        if (!decision.isAllowed()) {
            throw new ForbiddenException(decision.reason());
        }
    }
}
