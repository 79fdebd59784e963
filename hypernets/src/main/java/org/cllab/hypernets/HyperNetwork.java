package org.cllab.hypernets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.nn.ParamSet;
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

    /** Names of the shared parameter arrays, by position in {@link #sharedParams()}. */
    List<String> sharedParamNames();

    /**
     * The shared parameters as a named {@link ParamSet} (each a flat view, paired with its gradient accumulator), for
     * a {@link org.cllab.core.nn.ParamOptimizer}. Arrays may be replaced (a growing network): fetch it again after
     * a change of size.
     */
    default ParamSet sharedParamSet() {
        List<String> names = sharedParamNames();
        List<INDArray> p = sharedParams();
        List<INDArray> g = sharedGradients();
        List<ParamSet.Tensor> tensors = new ArrayList<>();
        for (int k = 0; k < p.size(); k++) {
            tensors.add(new ParamSet.Tensor(names.get(k), p.get(k), g.get(k)));
        }
        return ParamSet.of(tensors);
    }

    void save(String prefix, StateWriter out) throws IOException;

    void load(String prefix, StateReader in) throws IOException;
}
