package org.dicomweb.gateway.core.tasks;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.dicomweb.gateway.core.backend.BackendRegistry;
import org.dicomweb.gateway.core.tasks.store.TaskDatabase;
import org.dicomweb.gateway.core.tasks.store.TaskStore;
import org.dicomweb.gateway.error.InvalidRequestException;
import org.dicomweb.gateway.error.UnknownTaskException;
import org.dicomweb.gateway.tasks.TaskPage;
import org.dicomweb.gateway.tasks.TaskQuery;
import org.dicomweb.gateway.tasks.TaskRequest;
import org.dicomweb.gateway.tasks.TaskRequests;
import org.dicomweb.gateway.tasks.TaskService;
import org.dicomweb.gateway.tasks.TaskSubmission;
import org.dicomweb.gateway.tasks.TaskView;

/**
 * The tasks as REST and JMS see them (docs/jobs.md): each change one short transaction on the task's row, then the
 * message that wakes a worker, then (for a task that ended) its {@link TaskEnded} event.
 */
@ApplicationScoped
public class TaskManager implements TaskService, TaskRecords {

    @Inject
    BackendRegistry backends;

    @Inject
    TaskDatabase database;

    @Inject
    TaskStore store;

    @Inject
    TaskDispatch dispatch;

    @Inject
    TaskEndings endings;

    @Override
    public TaskSubmission submit(TaskRequest request) {
        backends.backend(request.source());
        backends.backend(request.destination());
        if (request.source().equals(request.destination())) {
            throw new InvalidRequestException("'source' and 'destination' are both " + request.source()
                    + ": a task delivers to another AE");
        }
        Optional<TaskView> inserted = insert(request.taskId(), () -> store.insert(request, TaskStore.now()));
        if (inserted.isEmpty()) {
            return new TaskSubmission(existing(request.taskId()), false);
        }
        TaskView task = inserted.get();
        dispatch.send(task.taskId(), request.priority(), task.scheduledAt());
        return new TaskSubmission(task, true);
    }

    /**
     * The new row's view; empty if a row with its taskId exists (inserted before, or by a concurrent request, which
     * the primary key lets win).
     */
    private Optional<TaskView> insert(String taskId, Supplier<TaskView> insert) {
        if (find(taskId).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(database.call("recording task " + taskId, insert));
        } catch (RuntimeException e) {
            if (find(taskId).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private TaskView existing(String taskId) {
        return find(taskId).orElseThrow(() -> new UnknownTaskException(taskId));
    }

    @Override
    public Optional<TaskView> find(String taskId) {
        return database.call("reading task " + taskId, () -> store.view(taskId));
    }

    @Override
    public TaskPage list(TaskQuery query) {
        return database.call("listing tasks", () -> store.list(query));
    }

    @Override
    public TaskView cancel(String taskId) {
        TaskView task = database.call("canceling task " + taskId, () -> store.cancel(taskId, TaskStore.now()))
                .orElseThrow(() -> new UnknownTaskException(taskId));
        if (task.state().isFinal()) {
            endings.ended(task);
        }
        return task;
    }

    @Override
    public TaskView reschedule(String taskId) {
        TaskView task = database.call("rescheduling task " + taskId, () -> store.reschedule(taskId, TaskStore.now()))
                .orElseThrow(() -> new UnknownTaskException(taskId));
        dispatch.send(taskId, task.request().priority(), task.scheduledAt());
        return task;
    }

    @Override
    public String recordRefused(String taskId, String correlationId, String body, String reason) {
        // ids the request model would refuse (too long) are replaced, as a missing one is
        String id = fits(taskId) ? taskId : UUID.randomUUID().toString();
        String correlation = fits(correlationId) ? correlationId : null;
        Optional<TaskView> inserted = insert(id,
                () -> store.insertRefused(id, correlation, body, reason, TaskStore.now()));
        inserted.ifPresent(endings::ended);
        return id;
    }

    @Override
    public void failUndeliverable(String taskId, String reason) {
        database.call("failing task " + taskId, () -> store.fail(taskId, reason, TaskStore.now()))
                .ifPresent(endings::ended);
    }

    private static boolean fits(String id) {
        return id != null && !id.isBlank() && id.length() <= TaskRequests.MAX_ID_LENGTH;
    }
}
