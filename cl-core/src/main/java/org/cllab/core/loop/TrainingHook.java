package org.cllab.core.loop;

import java.io.IOException;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * A composable part of training (a regulariser, a replay buffer, a distillation term), called by the
 * {@link TaskLoop} in a fixed order of phases:
 *
 * <ol>
 *   <li>{@link #beforeTask} once, before the task's first step (snapshot anchors, copy the old model);</li>
 *   <li>per step: {@link #transform} the minibatch (replay appends stored samples);</li>
 *   <li>{@link #outputTerm}: an extra loss on the logits, added before the single backward pass (LwF);</li>
 *   <li>{@link #afterBackward}: add a penalty's gradient to the parameters' gradients (EWC, SI);</li>
 *   <li>{@link #afterUpdate}: observe the parameters after the optimiser step (SI's path integral);</li>
 *   <li>{@link #afterTask} once, after the task's last step (consolidate a Fisher, fill a buffer).</li>
 * </ol>
 *
 * Within a phase, hooks run in the order the learner was given them (the order of a config's list); a penalty sees
 * the gradient as the hooks before it left it. Each hook saves and loads its own state under its
 * {@link #name()}, so composing hooks needs no new learner class and no new checkpoint code. All methods but
 * {@link #name()} default to doing nothing.
 */
public interface TrainingHook {
    /** Unique among a learner's hooks; the prefix of its checkpoint entries. */
    String name();

    default void beforeTask(TaskScope task) {
    }

    /** The minibatch to train on instead of {@code batch} (called inside the step's workspace). */
    default Minibatch transform(Minibatch batch) {
        return batch;
    }

    /** An extra loss on the model outputs for this step, or null. */
    default OutputTerm outputTerm() {
        return null;
    }

    /** Adds a penalty gradient to {@code params}' gradients and returns its value. */
    default double afterBackward(ParamSet params) {
        return 0.0;
    }

    default void afterUpdate(ParamSet params) {
    }

    default void afterTask(TaskScope task) {
    }

    default void save(String prefix, StateWriter out) throws IOException {
    }

    default void load(String prefix, StateReader in) throws IOException {
    }
}
