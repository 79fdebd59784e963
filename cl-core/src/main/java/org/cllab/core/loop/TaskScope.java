package org.cllab.core.loop;

import org.cllab.core.api.TaskInfo;
import org.cllab.core.data.TaskData;
import org.cllab.core.learners.MinibatchSampler;

/**
 * What a hook is told about the task being learned: at {@link TrainingHook#beforeTask} and
 * {@link TrainingHook#afterTask}.
 *
 * @param task    the task
 * @param data    the task's own training data (for Joint, the current task only)
 * @param sampler the minibatches the loop trains on (for Joint, every task seen so far)
 * @param seed    the learner seed, from which hooks derive their own named generators
 */
public record TaskScope(TaskInfo task, TaskData data, MinibatchSampler sampler, long seed) {
    public int index() {
        return task.index();
    }
}
