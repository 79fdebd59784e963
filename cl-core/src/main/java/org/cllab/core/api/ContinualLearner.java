package org.cllab.core.api;

import java.io.IOException;
import java.util.Set;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * Base type of every learner. A learner is trained through exactly one of the sub-interfaces
 * ({@link TaskAwareLearner}, {@link UpperBoundLearner}, {@link StreamingLearner}) and answers test queries
 * through the predictor interfaces it implements; {@link #evaluationModes()} must agree with them.
 *
 * <p>The whole learner state (parameters, optimiser moments, regulariser anchors, buffers, RNG states) is saved
 * at every task boundary through {@link #saveState} and restored by {@link #loadState} on a learner built from
 * the same spec, after which training continues exactly as if never interrupted.
 */
public interface ContinualLearner {
    /** The modes this learner can be evaluated in, given how it was built. */
    Set<Mode> evaluationModes();

    void saveState(StateWriter out) throws IOException;

    void loadState(StateReader in) throws IOException;
}
