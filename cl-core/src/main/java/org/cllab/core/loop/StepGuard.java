package org.cllab.core.loop;

import org.cllab.core.api.TaskInfo;

/**
 * Called by the {@link TaskLoop} with every step's total loss (data loss, output terms and penalties) after the
 * gradients are complete and <em>before</em> the optimiser update, so a guard that throws leaves the parameters of
 * the previous step untouched (e.g. a non-finite-loss check). Not learner state.
 */
@FunctionalInterface
public interface StepGuard {
    StepGuard NONE = (task, step, loss) -> { };

    /**
     * @param task the task being learned, or null for a boundary-free learner (which is never told its task)
     * @param step 1-based step number within the task (within the run for a boundary-free learner)
     * @param loss the step's total loss
     */
    void check(TaskInfo task, long step, double loss);
}
