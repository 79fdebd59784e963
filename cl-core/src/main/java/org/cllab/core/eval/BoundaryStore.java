package org.cllab.core.eval;

import java.io.IOException;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;

/**
 * Persists learner state and partial results at task boundaries. The file implementation (in {@code runs})
 * writes to a temporary directory and renames it, so a killed process leaves either the old or the new
 * boundary, never half of one.
 */
public interface BoundaryStore {
    /** The last completed boundary, if any; its learner state is loaded into {@code learner}. */
    Optional<ProtocolState> restore(ContinualLearner learner) throws IOException;

    /** Saves the boundary reached after {@code state.tasksDone()} tasks. */
    void save(ProtocolState state, ContinualLearner learner) throws IOException;

    /** A store that keeps nothing (no checkpoints). */
    BoundaryStore NONE = new BoundaryStore() {
        @Override
        public Optional<ProtocolState> restore(ContinualLearner learner) {
            return Optional.empty();
        }

        @Override
        public void save(ProtocolState state, ContinualLearner learner) {
        }
    };
}
