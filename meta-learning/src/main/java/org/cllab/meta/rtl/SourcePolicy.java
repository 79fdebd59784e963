package org.cllab.meta.rtl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A learned policy over S sources (Meta-RTL): at meta-iteration t its input is {@code [w_{t-1}, r~_{t-1}]} (the
 * previous weights and standardised rewards; {@code [1/S.., 0..]} at the start), its output a softmax over sources;
 * after the rewards are known it takes one {@link Reinforce} step with Adam. Parameters live in one flat
 * {@code double[]} with an equally laid out gradient, so finite-difference tests can perturb them directly.
 *
 * <p>Subclasses give the network: {@link LstmPolicy} (state across iterations, truncated back-propagation through
 * the last {@code window} inputs) and {@link MlpPolicy} (memoryless: the current input only).
 */
public abstract class SourcePolicy {
    private static final double CLIP = 5.0;
    protected final int sources;
    protected final double[] params;
    protected final double[] grad;
    private final double[] m;
    private final double[] v;
    private long t;
    private final double lr;
    private final Reinforce reinforce;
    private final int window;
    /** Inputs of the current window, oldest first; the last is the current iteration's. */
    protected final List<double[]> inputs = new ArrayList<>();

    protected SourcePolicy(int sources, int numParams, double lr, Reinforce reinforce, int window) {
        this.sources = sources;
        this.params = new double[numParams];
        this.grad = new double[numParams];
        this.m = new double[numParams];
        this.v = new double[numParams];
        this.lr = lr;
        this.reinforce = reinforce;
        this.window = window;
        double[] x = new double[2 * sources];
        for (int i = 0; i < sources; i++) {
            x[i] = 1.0 / sources;
        }
        inputs.add(x);
    }

    /** Logits of the last input of {@code window}, caching what {@link #backward} needs. */
    protected abstract double[] forward(List<double[]> window);

    /** Adds to {@link #grad} the gradient of the last {@link #forward} given the last step's logit gradient. */
    protected abstract void backward(double[] dLogits);

    /** Called when the oldest input leaves the window (after the update): fold it into the recurrent state. */
    protected abstract void dropOldest(double[] oldest);

    /** State beyond parameters, window and optimiser (the recurrent state). */
    protected abstract void saveExtra(String prefix, StateWriter out) throws IOException;

    protected abstract void loadExtra(String prefix, StateReader in);

    /** The source weights for the current iteration. */
    public final double[] weights() {
        return Reinforce.softmax(forward(inputs));
    }

    /** The flat parameters (live). */
    public final double[] params() {
        return params;
    }

    /** The flat gradient of the last {@link #backward}. */
    public final double[] gradient() {
        return grad;
    }

    /** The current window of inputs (copies), oldest first. */
    public final List<double[]> window() {
        return inputs.stream().map(double[]::clone).toList();
    }

    /** The logits of the current iteration (without changing anything; for tests). */
    public final double[] logits() {
        return forward(inputs);
    }

    /** Zeroes the gradient, forwards and back-propagates {@code dLogits} of the current iteration (for tests too). */
    public final void gradientOf(double[] dLogits) {
        java.util.Arrays.fill(grad, 0);
        forward(inputs);
        backward(dLogits);
    }

    /**
     * One REINFORCE step on this iteration's raw rewards (one per source); then the next input is this iteration's
     * weights and standardised rewards.
     *
     * @return the surrogate loss
     */
    public final double update(double[] rewards, Rng rng) {
        double[] logits = forward(inputs);
        double[] w = Reinforce.softmax(logits);
        Reinforce.Step s = reinforce.step(logits, rewards, rng);
        java.util.Arrays.fill(grad, 0);
        backward(s.dLogits());
        adam();
        double[] next = new double[2 * sources];
        System.arraycopy(w, 0, next, 0, sources);
        System.arraycopy(s.normalised(), 0, next, sources, sources);
        inputs.add(next);
        while (inputs.size() > window) {
            dropOldest(inputs.remove(0));
        }
        return s.loss();
    }

    private void adam() {
        double norm = 0;
        for (double g : grad) {
            norm += g * g;
        }
        norm = Math.sqrt(norm);
        double scale = norm > CLIP ? CLIP / norm : 1;
        t++;
        double b1 = 0.9;
        double b2 = 0.999;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i] * scale;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mh = m[i] / (1 - Math.pow(b1, t));
            double vh = v[i] / (1 - Math.pow(b2, t));
            params[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
        }
    }

    public void save(String prefix, StateWriter out) throws IOException {
        out.putArray(prefix + "params", Nd4j.createFromArray(params));
        out.putArray(prefix + "adam_m", Nd4j.createFromArray(m));
        out.putArray(prefix + "adam_v", Nd4j.createFromArray(v));
        out.putLong(prefix + "adam_t", t);
        double[] flat = new double[inputs.size() * 2 * sources];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, flat, i * 2 * sources, 2 * sources);
        }
        out.putArray(prefix + "inputs", Nd4j.createFromArray(flat));
        reinforce.save(prefix, out);
        saveExtra(prefix, out);
    }

    public void load(String prefix, StateReader in) {
        System.arraycopy(in.array(prefix + "params").toDoubleVector(), 0, params, 0, params.length);
        System.arraycopy(in.array(prefix + "adam_m").toDoubleVector(), 0, m, 0, m.length);
        System.arraycopy(in.array(prefix + "adam_v").toDoubleVector(), 0, v, 0, v.length);
        t = in.getLong(prefix + "adam_t");
        double[] flat = in.array(prefix + "inputs").toDoubleVector();
        inputs.clear();
        for (int i = 0; i < flat.length / (2 * sources); i++) {
            inputs.add(java.util.Arrays.copyOfRange(flat, i * 2 * sources, (i + 1) * 2 * sources));
        }
        reinforce.load(prefix, in);
        loadExtra(prefix, in);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
