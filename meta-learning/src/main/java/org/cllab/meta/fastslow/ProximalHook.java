package org.cllab.meta.fastslow;

import org.cllab.core.loop.TaskScope;
import org.cllab.core.loop.TrainingHook;
import org.cllab.core.nn.ParamSet;

/**
 * The {@link ProximalPenalty} as a training hook of the slow weights' inner loop: anchors at the parameters when the
 * task starts (they have just been set to the slow weights), adds the penalty gradient after every backward pass.
 * No state survives a task, so nothing is checkpointed.
 */
final class ProximalHook implements TrainingHook {
    private final ProximalPenalty penalty;
    private final ParamSet params;

    ProximalHook(ProximalPenalty penalty, ParamSet params) {
        this.penalty = penalty;
        this.params = params;
    }

    @Override
    public String name() {
        return "proximal";
    }

    @Override
    public void beforeTask(TaskScope task) {
        penalty.anchorAt(params.values());
    }

    @Override
    public double afterBackward(ParamSet p) {
        return p.addPenalty(penalty::addGradient);
    }
}
