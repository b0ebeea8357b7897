package org.dicomweb.gateway.core.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import org.dicomweb.gateway.tasks.TaskState;

class TaskOutcomesTest {

    @Test
    void allDeliveredIsCompleted() {
        assertEquals(TaskState.COMPLETED, TaskOutcomes.finalState(10, 0, 0));
    }

    @Test
    void nothingToDeliverIsCompleted() {
        assertEquals(TaskState.COMPLETED, TaskOutcomes.finalState(0, 0, 0));
    }

    @Test
    void someFailedIsWarning() {
        assertEquals(TaskState.WARNING, TaskOutcomes.finalState(9, 1, 0));
    }

    @Test
    void storedWithAWarningIsWarning() {
        assertEquals(TaskState.WARNING, TaskOutcomes.finalState(9, 0, 1));
        assertEquals(TaskState.WARNING, TaskOutcomes.finalState(0, 0, 3), "all delivered, all with a warning");
    }

    @Test
    void failuresWithoutAnyDeliveryIsFailed() {
        assertEquals(TaskState.FAILED, TaskOutcomes.finalState(0, 5, 0));
    }

    @Test
    void failuresAndOnlyWarningsIsWarning() {
        assertEquals(TaskState.WARNING, TaskOutcomes.finalState(0, 5, 1));
    }
}
