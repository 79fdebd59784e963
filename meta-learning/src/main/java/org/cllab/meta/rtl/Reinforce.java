package org.cllab.meta.rtl;

import java.io.IOException;
import org.cllab.core.rng.Rng;
import org.cllab.core.state.StateReader;
import org.cllab.core.state.StateWriter;

/**
 * REINFORCE for a softmax over sources (Williams 1992), as Meta-RTL trains its policy (arXiv 2409.19075; the details
 * are our reconstruction). Per meta-iteration every source's reward is known (one temporal model per source), so:
 *
 * <ol>
 *   <li>rewards are standardised over the sources of the iteration, {@code r~_i = (r_i - mean) / (std + 1e-8)};</li>
 *   <li>{@code samples} sources {@code a_m} are drawn from the policy {@code pi};</li>
 *   <li>the surrogate loss is {@code -(1/M) sum_m (r~_{a_m} - b) log pi_{a_m} - beta H(pi)} with {@code b} a moving
 *   average (rate {@code 1 - decay}) of the sampled standardised rewards and {@code H} the entropy (bonus).</li>
 * </ol>
 *
 * Its gradient w.r.t. the logits is {@code -(1/M) sum_m A_m (e_{a_m} - pi) + beta pi_j (log pi_j + H)}.
 */
public final class Reinforce {
    private final int samples;
    private final double entropyBonus;
    private final double decay;
    private double baseline;

    /**
     * @param samples      sources drawn per iteration
     * @param entropyBonus beta
     * @param decay        moving-average decay of the baseline, in [0, 1)
     */
    public Reinforce(int samples, double entropyBonus, double decay) {
        this.samples = samples;
        this.entropyBonus = entropyBonus;
        this.decay = decay;
    }

    /** One iteration's loss, its logits gradient and the standardised rewards. */
    public record Step(double loss, double[] dLogits, double[] normalised, int[] actions) {
    }

    /** Standardised rewards ({@code 0} everywhere when they are all equal). */
    public static double[] standardise(double[] rewards) {
        int s = rewards.length;
        double mean = 0;
        for (double r : rewards) {
            mean += r / s;
        }
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean) / s;
        }
        double sd = Math.sqrt(var);
        double[] out = new double[s];
        for (int i = 0; i < s; i++) {
            out[i] = sd > 1e-12 ? (rewards[i] - mean) / (sd + 1e-8) : 0;
        }
        return out;
    }

    /** Softmax of {@code logits}. */
    public static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Samples, computes the step and updates the baseline. */
    public Step step(double[] logits, double[] rewards, Rng rng) {
        double[] pi = softmax(logits);
        double[] norm = standardise(rewards);
        int[] actions = new int[samples];
        double[] adv = new double[samples];
        double mean = 0;
        for (int m = 0; m < samples; m++) {
            actions[m] = sample(pi, rng);
            adv[m] = norm[actions[m]] - baseline;
            mean += norm[actions[m]] / samples;
        }
        double loss = surrogate(logits, actions, adv, entropyBonus);
        double[] d = surrogateGradient(logits, actions, adv, entropyBonus);
        baseline = decay * baseline + (1 - decay) * mean;
        return new Step(loss, d, norm, actions);
    }

    private static int sample(double[] pi, Rng rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int i = 0; i < pi.length; i++) {
            c += pi[i];
            if (u < c) {
                return i;
            }
        }
        return pi.length - 1;
    }

    /** The surrogate loss for fixed actions and advantages. */
    public static double surrogate(double[] logits, int[] actions, double[] adv, double beta) {
        double[] pi = softmax(logits);
        double loss = 0;
        for (int m = 0; m < actions.length; m++) {
            loss -= adv[m] * Math.log(pi[actions[m]]) / actions.length;
        }
        return loss - beta * entropy(pi);
    }

    /** Its gradient w.r.t. the logits. */
    public static double[] surrogateGradient(double[] logits, int[] actions, double[] adv, double beta) {
        double[] pi = softmax(logits);
        double h = entropy(pi);
        double[] d = new double[pi.length];
        for (int m = 0; m < actions.length; m++) {
            for (int j = 0; j < pi.length; j++) {
                d[j] -= adv[m] * ((j == actions[m] ? 1 : 0) - pi[j]) / actions.length;
            }
        }
        for (int j = 0; j < pi.length; j++) {
            d[j] += beta * pi[j] * (Math.log(pi[j]) + h);
        }
        return d;
    }

    static double entropy(double[] pi) {
        double h = 0;
        for (double p : pi) {
            h -= p > 0 ? p * Math.log(p) : 0;
        }
        return h;
    }

    public double baseline() {
        return baseline;
    }

    void save(String prefix, StateWriter out) throws IOException {
        out.putDouble(prefix + "baseline", baseline);
    }

    void load(String prefix, StateReader in) {
        baseline = in.getDouble(prefix + "baseline");
    }
}
