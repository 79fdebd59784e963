package org.cllab.core.learners;

import java.io.IOException;
import java.util.Set;
import org.cllab.core.api.ClassIncrementalQuery;
import org.cllab.core.api.DomainIncrementalQuery;
import org.cllab.core.api.LearnerContext;
import org.cllab.core.api.Mode;
import org.cllab.core.api.TaskIncrementalQuery;
import org.cllab.core.loop.OutputTerm;
import org.cllab.core.loop.TrainingStep;
import org.cllab.core.nn.Adam;
import org.cllab.core.nn.Mlp;
import org.cllab.core.nn.ParamOptimizer;
import org.cllab.core.nn.ParamSet;
import org.cllab.core.nn.Sgd;
import org.cllab.core.nn.SoftmaxCrossEntropy;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An MLP with its output layout and optimiser: the model part shared by the MLP baselines. As a
 * {@link TrainingStep} it computes the gradients of a prepared minibatch and applies the optimiser step (the
 * {@link org.cllab.core.loop.TaskLoop} drives it); it answers the three query types.
 */
public final class MlpClassifier implements TrainingStep {
    private final MlpLearnerSpec spec;
    private final OutputLayout layout;
    private final Mlp mlp;
    private final ParamOptimizer optimizer;

    public MlpClassifier(MlpLearnerSpec spec, LearnerContext ctx) {
        this.spec = spec;
        this.layout = OutputLayout.of(ctx.scenario(), ctx.trainingMode());
        this.mlp = new Mlp(spec.layerSizes(ctx.scenario().featureDim(), layout.numOutputs()), spec.activation());
        mlp.init(Rng.forComponent(ctx.seed(), "init"));
        this.optimizer = new ParamOptimizer(mlp.paramSet(), n -> switch (spec.optimizer()) {
            case ADAM -> new Adam(n, spec.lr());
            case SGD -> new Sgd(n, spec.lr(), spec.momentum());
        });
    }

    public MlpLearnerSpec spec() {
        return spec;
    }

    public OutputLayout layout() {
        return layout;
    }

    public Mlp network() {
        return mlp;
    }

    public ParamOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public ParamSet params() {
        return mlp.paramSet();
    }

    @Override
    public double computeGradients(Minibatch batch, OutputTerm outputTerm) {
        return computeGradient(batch, outputTerm);
    }

    @Override
    public void update() {
        optimizer.step();
    }

    @Override
    public void resetOptimizer() {
        optimizer.reset();
    }

    public Set<Mode> evaluationModes() {
        return OutputLayout.evaluationModes(layout.trainingMode());
    }

    /**
     * Forward and backward pass on one minibatch: leaves the data-loss gradient in {@code network().gradient()}
     * and returns the loss. Callers may add penalty gradients before {@link #update()}.
     */
    public double computeGradient(Minibatch b) {
        return computeGradient(b, null);
    }

    /** As {@link #computeGradient(Minibatch)} with an extra logit term (may be null). */
    public double computeGradient(Minibatch b, OutputTerm extra) {
        INDArray logits = mlp.forward(b.features());
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.compute(logits, layout.targets(b), layout.trainingMask(b));
        double loss = r.loss();
        if (extra != null) {
            loss += extra.add(b, logits, r.dLogits());
        }
        mlp.backward(r.dLogits());
        return loss;
    }

    /** How the labels of the diagonal Fisher are chosen. */
    public enum FisherLabels {
        /** Labels drawn from the model's own predictive distribution: the Fisher information (Kirkpatrick 2017). */
        SAMPLED,
        /** The data's labels: the "empirical Fisher". */
        EMPIRICAL
    }

    /**
     * Diagonal Fisher information of the current parameters on up to {@code maxSamples} samples (0 = all) of a
     * task: the mean over samples of the squared per-sample gradient of the log-likelihood. Returned as a new flat
     * float vector laid out like the parameters.
     */
    public INDArray diagonalFisher(MinibatchSampler sampler, int maxSamples, FisherLabels labels, Rng rng) {
        return DiagonalFisher.estimate(mlp, layout, sampler, maxSamples, labels, rng);
    }

    public int[] predict(ClassIncrementalQuery q) {
        return layout.predictClass(mlp.output(q.features()));
    }

    public int[] predict(TaskIncrementalQuery q) {
        return layout.predictInTask(mlp.output(q.features()), q.task());
    }

    public int[] predict(DomainIncrementalQuery q) {
        return layout.predictLocal(mlp.output(q.features()));
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "/params", mlp.params());
        optimizer.save(prefix + "/optimizer", out);
    }

    public void load(String prefix, StateReader in) throws IOException {
        INDArray p = in.array(prefix + "/params");
        if (p.length() != mlp.numParams()) {
            throw new IOException("checkpoint has " + p.length() + " MLP parameters, the config builds "
                    + mlp.numParams());
        }
        mlp.params().assign(p.castTo(DataType.FLOAT).reshape(mlp.numParams()));
        optimizer.load(prefix + "/optimizer", in);
    }
}
