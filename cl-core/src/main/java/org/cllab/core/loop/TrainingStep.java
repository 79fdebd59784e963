package org.cllab.core.loop;

import org.cllab.core.learners.Minibatch;
import org.cllab.core.nn.ParamSet;

/**
 * What a learner supplies to the {@link TaskLoop}: the model-specific part of one optimiser step. The loop calls
 * {@link #computeGradients}, then the hooks' penalties on {@link #params()}, then {@link #update()}.
 */
public interface TrainingStep {
    /** The trainable tensors and their gradient buffers (what penalty hooks read and write). */
    ParamSet params();

    /**
     * Forward and backward pass on {@code batch}: leaves the gradient of the loss (plus {@code outputTerm}, which
     * may be null) in {@link #params()}'s gradients and returns the loss.
     */
    double computeGradients(Minibatch batch, OutputTerm outputTerm);

    /** One optimiser step with the current gradients. */
    void update();

    /** Fresh optimiser state (moments, step counts). */
    void resetOptimizer();
}
