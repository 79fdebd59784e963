package org.cllab.hypernets;

import java.io.IOException;
import java.util.List;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A task-conditioned weight generator: the conditional input is a task embedding (owned by the learner), the shared
 * parameters belong to the hypernetwork. All methods work on a batch of embeddings (one row per task) so that the
 * current task and every regularised old task are generated in one pass.
 */
public interface HyperNetwork {
    /** Weights generated per embedding. */
    long numTargetParams();

    /** Trainable shared (unconditional) parameters. */
    long numSharedParams();

    /** Target weights {@code [B, P]} for embeddings {@code [B, embDim]}, caching what {@link #backward} needs. */
    INDArray generate(INDArray embeddings);

    /** As {@link #generate} without caching. */
    INDArray weights(INDArray embeddings);

    /**
     * Back-propagates {@code dWeights} ({@code [B, P]}, for the last {@link #generate}): adds to the shared
     * parameters' gradient accumulators and returns the gradient w.r.t. the embeddings ({@code [B, embDim]}).
     */
    INDArray backward(INDArray dWeights);

    /** Zeroes the shared gradient accumulators. */
    void clearGradients();

    /** Live shared parameter arrays, each paired with {@link #sharedGradients()} by position (for optimisers). */
    List<INDArray> sharedParams();

    List<INDArray> sharedGradients();

    void save(String prefix, StateWriter out) throws IOException;

    void load(String prefix, StateReader in) throws IOException;
}
