package org.cllab.core.api;

/**
 * A {@link TrainingListener} in front of another that stops training at the first non-finite minibatch loss: every
 * learner that reports its loss per step ({@link TrainingListener#onStep}) passes through it, so the check lives in
 * one place and no learner needs code of its own. The step's loss is checked before it is passed on.
 */
public final class DivergenceGuard implements TrainingListener {
    private final TrainingListener next;

    public DivergenceGuard(TrainingListener next) {
        this.next = next;
    }

    @Override
    public void onTaskStart(TaskInfo task, long totalSteps) {
        next.onTaskStart(task, totalSteps);
    }

    /** @throws DivergedException when {@code loss} is NaN or infinite */
    @Override
    public void onStep(TaskInfo task, long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw new DivergedException(task.index() + 1, step, "loss", Double.toString(loss));
        }
        next.onStep(task, step, loss);
    }

    @Override
    public void onTaskEnd(TaskInfo task) {
        next.onTaskEnd(task);
    }
}
