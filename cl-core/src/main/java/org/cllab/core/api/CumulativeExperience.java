package org.cllab.core.api;

import java.util.List;
import org.cllab.core.data.TaskData;

/**
 * The training view for upper-bound learners (Joint): the current task plus the training data of every task
 * seen so far. Only learners that implement {@link UpperBoundLearner} are ever given one, so ordinary learners
 * cannot reach old data through the API.
 *
 * @param current the task being learned
 * @param seen    training data of tasks {@code 0..current.taskIndex()}, in order (the last is the current one)
 * @param tasks   their task infos, in the same order
 */
public record CumulativeExperience(TrainingExperience current, List<TaskData> seen, List<TaskInfo> tasks) {
    public CumulativeExperience {
        seen = List.copyOf(seen);
        tasks = List.copyOf(tasks);
        if (seen.size() != current.taskIndex() + 1 || tasks.size() != seen.size()) {
            throw new IllegalArgumentException("cumulative view of task " + current.taskIndex() + " needs "
                    + (current.taskIndex() + 1) + " parts, got " + seen.size());
        }
    }
}
