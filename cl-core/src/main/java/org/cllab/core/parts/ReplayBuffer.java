package org.cllab.core.parts;

import java.io.IOException;
import org.cllab.core.learners.Minibatch;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/** A bounded memory of past samples (features, class label, local label, task) for experience replay. */
public interface ReplayBuffer {
    /** Offers one sample; the buffer decides whether to keep it (and what to evict). */
    void offer(float[] features, int offset, int classLabel, int localLabel, int task);

    /** Number of samples held. */
    int size();

    int capacity();

    /** Number of samples offered so far. */
    long seen();

    /** {@code min(k, size())} distinct stored samples drawn uniformly with {@code rng}. */
    Minibatch sample(int k, Rng rng);

    /** Class label of stored sample {@code slot} (for tests and statistics). */
    int classLabelAt(int slot);

    void save(String prefix, StateWriter out) throws IOException;

    void load(String prefix, StateReader in);
}
