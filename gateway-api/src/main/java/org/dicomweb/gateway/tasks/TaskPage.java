package org.dicomweb.gateway.tasks;

import java.util.List;

/** One page of tasks, and how many match the query in all. */
public record TaskPage(List<TaskView> tasks, long total) {

    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
