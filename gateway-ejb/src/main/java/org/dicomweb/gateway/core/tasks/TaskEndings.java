package org.dicomweb.gateway.core.tasks;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.dicomweb.gateway.tasks.TaskView;

/** Fires {@link TaskEnded} for a task whose final state was committed. */
@ApplicationScoped
public class TaskEndings {

    private static final Logger LOG = Logger.getLogger(TaskEndings.class.getName());

    @Inject
    Event<TaskEnded> ended;

    /**
     * An observer that fails (the topic down) is logged: the task's end is committed and must not be undone, nor its
     * worker's message redelivered for it.
     */
    public void ended(TaskView task) {
        try {
            ended.fire(new TaskEnded(task));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "task " + task.taskId() + " ended " + task.state()
                    + ", but an observer of its end failed", e);
        }
    }
}
