package org.cllab.core.api;

import java.util.List;

/**
 * Static facts about a scenario that learners may use when they are built.
 *
 * @param name         scenario name, e.g. {@code split-mnist}
 * @param tasks        the tasks in stream order
 * @param featureDim   length of a flattened input
 * @param inputShape   {@code [channels, rows, cols]} of one input (for convolutional learners)
 * @param numClasses   size of the scenario-wide class space (class-incremental output size)
 * @param localClasses size of the largest task-local label space (domain-incremental output size)
 */
public record ScenarioInfo(String name, List<TaskInfo> tasks, int featureDim, int[] inputShape, int numClasses,
                           int localClasses) {
    public ScenarioInfo {
        tasks = List.copyOf(tasks);
        inputShape = inputShape.clone();
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one task");
        }
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).index() != i) {
                throw new IllegalArgumentException("task " + i + " has index " + tasks.get(i).index());
            }
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    public int numTasks() {
        return tasks.size();
    }

    public TaskInfo task(int t) {
        return tasks.get(t);
    }
}
