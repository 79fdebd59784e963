package org.cllab.core.nn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An optimiser step over a {@link ParamSet}: one {@link Optimizer} state per block, where a block is the whole flat
 * vector of a contiguous set (one vectorised update, as for {@link Mlp}) or else each tensor. Element-wise
 * optimisers (Adam, SGD) give the same values either way; the blocks only decide how many arrays are touched.
 *
 * <p>Checkpoint keys: a single-block optimiser saves under {@code prefix} itself, a multi-block one under
 * {@code prefix/<tensor name>}.
 */
public final class ParamOptimizer {
    private final ParamSet params;
    private final List<ParamSet.Tensor> blocks;
    private final List<Optimizer> states;

    /**
     * @param params  the set it updates (the same live arrays on every step)
     * @param factory a fresh optimiser for a block of the given length
     */
    public ParamOptimizer(ParamSet params, LongFunction<Optimizer> factory) {
        this.params = params;
        this.blocks = params.isContiguous()
                ? List.of(new ParamSet.Tensor("all", params.values(), params.gradients()))
                : params.tensors();
        this.states = new ArrayList<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (ParamSet.Tensor b : blocks) {
                states.add(factory.apply(b.length()));
            }
        }
    }

    public ParamSet params() {
        return params;
    }

    /** Updates every tensor from its current gradient. */
    public void step() {
        for (int k = 0; k < blocks.size(); k++) {
            ParamSet.Tensor b = blocks.get(k);
            states.get(k).step(b.flatValue(), b.flatGradient());
        }
    }

    /** The optimiser state of tensor {@code name} (of the single block of a contiguous set for any name). */
    public Optimizer stateOf(String name) {
        if (params.isContiguous()) {
            return states.get(0);
        }
        for (int k = 0; k < blocks.size(); k++) {
            if (blocks.get(k).name().equals(name)) {
                return states.get(k);
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** Fresh moments and step counts for every block. */
    public void reset() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            states.forEach(Optimizer::reset);
        }
    }

    public void save(String prefix, StateWriter out) throws IOException {
        if (states.size() == 1 && params.isContiguous()) {
            states.get(0).save(prefix, out);
            return;
        }
        for (int k = 0; k < blocks.size(); k++) {
            states.get(k).save(prefix + "/" + blocks.get(k).name(), out);
        }
    }

    public void load(String prefix, StateReader in) throws IOException {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (states.size() == 1 && params.isContiguous()) {
                states.get(0).load(prefix, in);
                return;
            }
            for (int k = 0; k < blocks.size(); k++) {
                states.get(k).load(prefix + "/" + blocks.get(k).name(), in);
            }
        }
    }
}
