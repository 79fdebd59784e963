package org.cllab.core.learners;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.cllab.core.nn.Optimizer;
import org.cllab.core.nn.ParamOptimizer;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.loop.OutputTerm;
import org.cllab.core.loop.TrainingStep;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph as a {@link TrainingStep}: its trainable variables ({@link VariableType#VARIABLE}) form a
 * {@link ParamSet} (the variables' own arrays, updated in place, plus one gradient buffer each), gradients come from
 * {@link SameDiff#calculateGradientsAndOutputs} (the {@code calculateGradients} call that also returns the loss) and
 * our {@link ParamOptimizer} applies them. So a SameDiff model is trained by the {@link org.cllab.core.loop.TaskLoop}
 * with the project's seeds (data order, initial values drawn by the caller), hooks and checkpoints; {@code sd.fit()},
 * which would bypass all three, is never called (and {@code setArray} never used: stack-notes pitfall 2).
 *
 * <p>Output terms (logit losses of hooks such as LwF) are not supported: the loss is the graph's.
 */
public final class SameDiffModel implements TrainingStep {
    private final SameDiff sd;
    private final String loss;
    private final Function<Minibatch, Map<String, INDArray>> feeds;
    private final ParamSet params;
    private final ParamOptimizer optimizer;

    /**
     * @param sd        the graph; its loss variable must be {@code loss}
     * @param loss      name of the scalar loss variable
     * @param feeds     the placeholder values for a minibatch
     * @param optimizer a fresh optimiser for a tensor of the given length
     */
    public SameDiffModel(SameDiff sd, String loss, Function<Minibatch, Map<String, INDArray>> feeds,
                         LongFunction<Optimizer> optimizer) {
        this.sd = sd;
        this.loss = loss;
        this.feeds = feeds;
        List<ParamSet.Tensor> tensors = new ArrayList<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    INDArray arr = v.getArr();
                    tensors.add(new ParamSet.Tensor(v.name(), arr, Nd4j.zeros(arr.dataType(), arr.shape())));
                }
            }
        }
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("the SameDiff graph has no trainable variables");
        }
        this.params = ParamSet.of(tensors);
        this.optimizer = new ParamOptimizer(params, optimizer);
    }

    public SameDiff graph() {
        return sd;
    }

    @Override
    public ParamSet params() {
        return params;
    }

    @Override
    public double computeGradients(Minibatch batch, OutputTerm outputTerm) {
        if (outputTerm != null) {
            throw new IllegalArgumentException("a SameDiff model takes no output terms: put the loss in the graph");
        }
        // SameDiff manages its own memory and caches arrays between calls: keep it out of the loop's step workspace,
        // whose memory is reused by the next step
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> in = new HashMap<>();
            feeds.apply(batch).forEach((k, v) -> in.put(k, v.isAttached() ? v.detach() : v));
            OutAndGrad r = sd.calculateGradientsAndOutputs(in, List.of(loss), params.names());
            Map<String, INDArray> g = r.getGradients();
            for (ParamSet.Tensor t : params.tensors()) {
                INDArray gi = g.get(t.name());
                if (gi == null) {
                    t.gradient().assign(0); // the loss does not depend on this variable
                } else {
                    t.gradient().assign(gi);
                }
            }
            return r.getOutputs().get(loss).getDouble(0);
        }
    }

    @Override
    public void update() {
        optimizer.step();
    }

    @Override
    public void resetOptimizer() {
        optimizer.reset();
    }

    /** Values of {@code outputs} for the given placeholder values (evaluation). */
    public Map<String, INDArray> output(Map<String, INDArray> placeholders, String... outputs) {
        return sd.output(placeholders, outputs);
    }

    /** Saves the variables under {@code prefix/params} and the optimiser under {@code prefix/optimizer}. */
    public void save(String prefix, StateWriter out) throws IOException {
        params.save(prefix + "/params", out);
        optimizer.save(prefix + "/optimizer", out);
    }

    public void load(String prefix, StateReader in) throws IOException {
        params.load(prefix + "/params", in);
        optimizer.load(prefix + "/optimizer", in);
    }
}
