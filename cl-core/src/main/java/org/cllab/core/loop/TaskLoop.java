package org.cllab.core.loop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.TaskInfo;
import org.cllab.core.api.TrainingListener;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.nn.StepScope;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * The one training loop every learner uses. It owns what learners used to repeat: the per-task order generator
 * {@code Rng(learnerSeed, "order/task-t")} (a fresh one per task, so a run resumed at a boundary draws the same
 * minibatches), the epochs-or-iterations {@link Budget}, the optimiser reset at the task start, the workspace
 * ({@link StepScope}) around each step, the {@link TrainingListener} calls, the {@link StepGuard}, and the
 * {@link TrainingHook}s in their fixed phase order. The learner supplies a {@link TrainingStep}.
 *
 * <pre>{@code
 * TaskRun run = loop.begin(scope, batchSize, step, resetOptimizer);  // optimiser reset, hooks' beforeTask
 * run.train(Budget.epochs(2));                                        // may be called again (HNET growth)
 * run.finish();                                                       // hooks' afterTask
 * }</pre>
 *
 * A boundary-free learner, which has no task, runs its steps on each received batch through {@link #stream}.
 */
public final class TaskLoop {
    private final LearnerContext context;
    private final String scopeName;
    private final List<TrainingHook> hooks;
    private StepGuard guard = StepGuard.NONE;
    private long streamSteps;

    /**
     * @param context   learner seed and listener
     * @param scopeName name of the per-step workspace
     * @param hooks     in phase order; names must be unique
     */
    public TaskLoop(LearnerContext context, String scopeName, List<TrainingHook> hooks) {
        this.context = context;
        this.scopeName = scopeName;
        this.hooks = List.copyOf(hooks);
        Set<String> names = new HashSet<>();
        for (TrainingHook h : this.hooks) {
            if (!names.add(h.name())) {
                throw new IllegalArgumentException("two training hooks named " + h.name());
            }
        }
    }

    public List<TrainingHook> hooks() {
        return hooks;
    }

    /** Sets the guard called with every step's loss before the update (default: none). */
    public void setGuard(StepGuard guard) {
        this.guard = guard == null ? StepGuard.NONE : guard;
    }

    /** Starts learning a task: resets the optimiser if asked, then calls every hook's {@code beforeTask}. */
    public TaskRun begin(TaskScope scope, int batchSize, TrainingStep step, boolean resetOptimizer) {
        if (resetOptimizer) {
            step.resetOptimizer();
        }
        for (TrainingHook h : hooks) {
            h.beforeTask(scope);
        }
        return new TaskRun(scope, batchSize, step);
    }

    /** One task being learned. */
    public final class TaskRun {
        private final TaskScope scope;
        private final int batchSize;
        private final TrainingStep step;
        private final Rng order;

        private TaskRun(TaskScope scope, int batchSize, TrainingStep step) {
            this.scope = scope;
            this.batchSize = batchSize;
            this.step = step;
            this.order = Rng.forComponent(context.seed(), "order/task-" + scope.index());
        }

        /**
         * Runs a budget of steps; each call starts a fresh epoch of the task's order generator (which continues
         * across calls). Reports {@code onTaskStart}, every {@code onStep}, {@code onTaskEnd}.
         */
        public void train(Budget budget) {
            TaskInfo task = scope.task();
            long steps = budget.steps(scope.sampler(), batchSize);
            TrainingListener listener = context.listener();
            listener.onTaskStart(task, steps);
            Iterator<Minibatch> it = null;
            for (long n = 1; n <= steps; n++) {
                if (it == null || !it.hasNext()) {
                    it = scope.sampler().epoch(batchSize, order).iterator();
                }
                double loss;
                try (StepScope s = StepScope.open(scopeName)) {
                    loss = step(it.next(), n);
                }
                listener.onStep(task, n, loss);
            }
            listener.onTaskEnd(task);
        }

        private double step(Minibatch batch, long n) {
            Minibatch b = batch;
            for (TrainingHook h : hooks) {
                b = h.transform(b);
            }
            List<OutputTerm> terms = new ArrayList<>(hooks.size());
            for (TrainingHook h : hooks) {
                terms.add(h.outputTerm());
            }
            double loss = step.computeGradients(b, OutputTerm.sum(terms));
            ParamSet params = hooks.isEmpty() ? null : step.params();
            for (TrainingHook h : hooks) {
                loss += h.afterBackward(params);
            }
            guard.check(scope.task(), n, loss);
            step.update();
            for (TrainingHook h : hooks) {
                h.afterUpdate(params);
            }
            return loss;
        }

        /** Ends the task: every hook's {@code afterTask}. */
        public void finish() {
            for (TrainingHook h : hooks) {
                h.afterTask(scope);
            }
        }
    }

    /**
     * Runs {@code steps} steps of a boundary-free learner on one received batch (no task, no order of its own: the
     * stream decides it), each reported through {@link TrainingListener#onStreamStep} and checked by the guard
     * (after the step: a boundary-free step updates its parameters itself). Returns the last step's loss.
     */
    public double stream(int steps, DoubleSupplier step) {
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            loss = step.getAsDouble();
            streamSteps++;
            guard.check(null, streamSteps, loss);
            context.listener().onStreamStep(streamSteps, loss);
        }
        return loss;
    }

    /** Saves every hook's state under its name. */
    public void save(StateWriter out) throws IOException {
        for (TrainingHook h : hooks) {
            h.save(h.name(), out);
        }
    }

    /** Restores every hook's state. */
    public void load(StateReader in) throws IOException {
        for (TrainingHook h : hooks) {
            h.load(h.name(), in);
        }
    }
}
