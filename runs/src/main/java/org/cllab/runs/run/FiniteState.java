package org.cllab.runs.run;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.api.DivergedException;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.state.StateWriter;

/**
 * The parameter half of divergence detection: at every task boundary the learner's state is serialised (into the
 * checkpoint, or into nothing when checkpoints are off) and any array entry holding a NaN or an infinity stops the
 * run. The loss half is {@link org.cllab.core.api.DivergenceGuard}, checked at every optimiser step.
 */
final class FiniteState {
    private FiniteState() {
    }

    /** @throws DivergedException naming the first non-finite array entry written to {@code w} */
    static void check(StateWriter w, int tasksDone) {
        List<String> bad = w.nonFiniteArrays();
        if (!bad.isEmpty()) {
            throw new DivergedException(tasksDone, -1, "learner state entry " + bad.get(0)
                    + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : ""), "not finite (NaN or infinite values)");
        }
    }

    /** A store that keeps nothing but checks the learner's state at every boundary (runs without checkpoints). */
    static BoundaryStore checkOnly() {
        return new BoundaryStore() {
            @Override
            public Optional<ProtocolState> restore(ContinualLearner learner) {
                return Optional.empty();
            }

            @Override
            public void save(ProtocolState state, ContinualLearner learner) throws IOException {
                try (StateWriter w = new StateWriter(OutputStream.nullOutputStream())) {
                    learner.saveState(w);
                    check(w, state.tasksDone());
                }
            }
        };
    }
}
