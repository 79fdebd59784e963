package org.cllab.core.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cllab.core.api.ContinualLearner;
import org.cllab.core.eval.BoundaryStore;
import org.cllab.core.eval.ProtocolState;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/** A {@link BoundaryStore} that keeps the latest boundary in memory: protocol state and learner-state bytes. */
public final class MemoryBoundaryStore implements BoundaryStore {
    /** Latest saved protocol state (null before the first save). */
    public ProtocolState state;
    /** Learner state written at the latest boundary. */
    public byte[] learnerState;
    /** {@code tasksDone} of every save, in order. */
    public final List<Integer> saved = new ArrayList<>();

    @Override
    public Optional<ProtocolState> restore(ContinualLearner learner) throws IOException {
        if (state == null) {
            return Optional.empty();
        }
        learner.loadState(new StateReader(new ByteArrayInputStream(learnerState)));
        return Optional.of(state);
    }

    @Override
    public void save(ProtocolState s, ContinualLearner learner) throws IOException {
        learnerState = bytes(learner);
        state = s;
        saved.add(s.tasksDone());
    }

    /** The learner's state as written by {@link ContinualLearner#saveState}. */
    public static byte[] bytes(ContinualLearner learner) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (StateWriter w = new StateWriter(bos)) {
            learner.saveState(w);
        }
        return bos.toByteArray();
    }
}
